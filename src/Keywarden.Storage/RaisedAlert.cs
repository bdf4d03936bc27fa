namespace Keywarden.Storage;

/// <summary>What <see cref="IAlertStore.RaiseAsync"/> did.</summary>
/// <param name="Alert">The alert as it now stands.</param>
/// <param name="IsNew">True when the raise opened a new alert (and appended its audit record); false when it counted into an open or acknowledged one.</param>
public sealed record RaisedAlert(AlertRecord Alert, bool IsNew);
