namespace Keywarden.Sandbox.Marketing;

/// <summary>One entry of the errors array of an "Invalid Resource" problem.</summary>
internal sealed record FieldError(string Field, string Message);
