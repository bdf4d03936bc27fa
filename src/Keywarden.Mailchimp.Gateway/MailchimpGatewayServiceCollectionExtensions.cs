using Keywarden.Gateway.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Keywarden.Mailchimp.Gateway;

/// <summary>Mailchimp's two APIs in a gateway's services.</summary>
public static class MailchimpGatewayServiceCollectionExtensions
{
    /// <summary>Registers the Marketing (<c>/3.0/…</c>) and Transactional (<c>/api/1.0/…</c>) flows, after <c>AddKeywardenGateway</c>.</summary>
    public static IServiceCollection AddMailchimpApis(this IServiceCollection services)
    {
        services.AddSingleton<IApiFlow, MarketingFlow>();
        services.AddSingleton<IApiFlow, TransactionalFlow>();
        return services;
    }
}
