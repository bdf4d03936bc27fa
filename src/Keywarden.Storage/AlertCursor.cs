namespace Keywarden.Storage;

/// <summary>Where a page of <see cref="IAlertStore.ListAlertsAsync"/> ends: the next page holds the alerts listed after this one.</summary>
/// <param name="LastTime">The <see cref="AlertRecord.LastTime"/> of the last alert of the page.</param>
/// <param name="Id">Its id (orders alerts last seen at the same time).</param>
public sealed record AlertCursor(DateTimeOffset LastTime, string Id)
{
    /// <summary>The cursor after <paramref name="alert"/>.</summary>
    public static AlertCursor After(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertCursor(alert.LastTime, alert.Id);
    }
}
