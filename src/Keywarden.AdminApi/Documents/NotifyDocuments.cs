using Keywarden.Application;
using Keywarden.Storage;

namespace Keywarden.AdminApi.Documents;

/// <summary>Notification targets as <c>notify … --json</c> prints them and the admin API answers: the URL only as displayed (its secret parts hidden).</summary>
public static class NotifyDocuments
{
    /// <summary>One target.</summary>
    public static object Target(NotificationTargetRecord target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new
        {
            id = target.Id,
            format = NotificationService.Word(target.Format),
            min_severity = NotificationService.Word(target.MinSeverity),
            url = target.Display,
            created_at = target.CreatedAt,
        };
    }

    /// <summary>A webhook just added: for a generic one, its signing secret, the one time it is shown.</summary>
    public static object Added(AddedWebhook added)
    {
        ArgumentNullException.ThrowIfNull(added);
        var target = added.Target;
        return new
        {
            id = target.Id,
            format = NotificationService.Word(target.Format),
            min_severity = NotificationService.Word(target.MinSeverity),
            url = target.Display,
            signing_secret = target.Format == NotificationFormat.Generic ? added.SigningSecret : null,
            created_at = target.CreatedAt,
        };
    }
}
