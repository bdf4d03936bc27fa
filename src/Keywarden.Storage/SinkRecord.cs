namespace Keywarden.Storage;

/// <summary>A place that receives an upstream's new key during rotation (see <c>IKeySinkFactory</c> for the spec grammar).</summary>
/// <param name="Id">Stable id, e.g. <c>sink_…</c>.</param>
/// <param name="UpstreamId">The upstream whose key it receives.</param>
/// <param name="Spec">Where to deliver, e.g. <c>env:/srv/app/.env#MAILCHIMP_KEY</c>. Never a secret.</param>
/// <param name="CreatedAt">When it was added.</param>
public sealed record SinkRecord(string Id, string UpstreamId, string Spec, DateTimeOffset CreatedAt);
