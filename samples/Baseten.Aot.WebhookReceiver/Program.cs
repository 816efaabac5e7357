using System;
using Baseten.Aot.WebhookReceiver;
using Microsoft.AspNetCore.Builder;

// Settings come from the environment (or --key=value arguments): BASETEN_WEBHOOK_SECRET and the
// optional ones in ReceiverSettings. Where to listen is ASP.NET Core's own: ASPNETCORE_URLS or --urls.
WebApplication app;
try
{
    app = ReceiverApp.Build(args, ResultHandler.HandleAsync);
}
catch (ReceiverConfigurationException exception)
{
    Console.Error.WriteLine($"baseten-webhook-receiver: {exception.Message}");
    return 2;
}

await app.RunAsync();
return 0;
