namespace Keywarden.Bench.AuditHistory;

/// <summary>A kind of call a token makes: a method and a path template (<c>{L}</c> list, <c>{M}</c> member hash, <c>{C}</c> campaign, <c>{S}</c> store, <c>{U}</c> customer/cart, <c>{P}</c> product), with a relative weight.</summary>
internal sealed record Surface(string Method, string Template, double Weight = 1);
