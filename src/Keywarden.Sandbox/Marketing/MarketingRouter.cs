namespace Keywarden.Sandbox.Marketing;

/// <summary>
/// Runs Marketing operations against an account: finds the route, runs it, and applies fields/exclude_fields.
/// HTTP requests and batch operations both come through here, so a batch does exactly what the calls would.
/// </summary>
internal sealed class MarketingRouter
{
    private readonly List<MarketingRoute> _routes;

    public MarketingRouter()
    {
        var batches = new BatchesResource(this);
        _routes =
        [
            new("GET", "", RootResource.GetAccount),
            new("GET", "ping", RootResource.Ping),
            new("GET", "lists", ListsResource.GetAll),
            new("POST", "lists", ListsResource.Create),
            new("GET", "lists/{list_id}", ListsResource.Get),
            new("PATCH", "lists/{list_id}", ListsResource.Update),
            new("DELETE", "lists/{list_id}", ListsResource.Delete),
            new("GET", "lists/{list_id}/members", MembersResource.GetAll),
            new("POST", "lists/{list_id}/members", MembersResource.Create),
            new("GET", "lists/{list_id}/members/{subscriber_hash}", MembersResource.Get),
            new("PUT", "lists/{list_id}/members/{subscriber_hash}", MembersResource.Upsert),
            new("PATCH", "lists/{list_id}/members/{subscriber_hash}", MembersResource.Update),
            new("DELETE", "lists/{list_id}/members/{subscriber_hash}", MembersResource.Archive),
            new("POST", "lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent", MembersResource.DeletePermanent),
            new("GET", "batches", BatchesResource.GetAll),
            new("POST", "batches", batches.Start, ManagesLock: true),
            new("GET", "batches/{batch_id}", BatchesResource.Get),
            new("DELETE", "batches/{batch_id}", BatchesResource.Delete, ManagesLock: true),
        ];
    }

    public MarketingResult Dispatch(MarketingRequest request)
    {
        MarketingRoute? chosen = null;
        var allowed = new List<string>();
        foreach (var route in _routes)
        {
            request.RouteValues.Clear();
            if (!route.TryMatch(request.Segments, request.RouteValues))
            {
                continue;
            }

            allowed.Add(route.Method);
            if (route.Method == request.Method)
            {
                chosen = route;
                break;
            }
        }

        if (chosen is null)
        {
            return allowed.Count == 0 ? Problems.NotFound() : Problems.MethodNotAllowed(allowed);
        }

        MarketingResult result;
        if (chosen.ManagesLock)
        {
            result = chosen.Handler(request);
        }
        else
        {
            lock (request.Account.Sync)
            {
                result = chosen.Handler(request);
            }
        }

        if (result.IsSuccess && result.Body is not null)
        {
            request.Query.TryGetValue("fields", out var fields);
            request.Query.TryGetValue("exclude_fields", out var excluded);
            FieldSelector.Apply(result.Body, fields, excluded);
        }

        return result;
    }
}
