using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Service;

namespace Retrieval.Serve.Web;

/// <summary>
/// The web side of retrieval-server: the read calls as JSON over HTTP (gRPC JSON transcoding of the HTTP annotations in
/// retrieval.proto, through the same interceptors as gRPC), the search page and its gallery thumbnails, on a web port.
/// The gRPC port stays HTTP/2-only: on cleartext Kestrel cannot offer HTTP/1.1 and HTTP/2 on one port (no TLS, no ALPN:
/// "Http1AndHttp2" silently becomes HTTP/1.1 and h2c gRPC clients fail), so browsers and curl get their own port.
/// </summary>
public static class SearchPage
{
    /// <summary>Registers transcoding and the page's services, and listens on the web port (TLS with the gRPC port's certificate).</summary>
    public static WebApplicationBuilder AddSearchPage(this WebApplicationBuilder builder, ServerOptions options, X509Certificate2? certificate)
    {
        builder.Services.AddGrpc()
            .AddJsonTranscoding(transcoding => transcoding.JsonSettings.WriteIndented = false)
            .AddServiceOptions<RetrievalGrpcService>(service => service.Interceptors.Add<JsonCallInterceptor>());
        builder.Services.AddSingleton<PageAssets>();
        builder.Services.AddSingleton(sp => new JsonCalls(options, sp.GetRequiredService<ServingMetrics>()));
        builder.Services.AddSingleton<GalleryThumbnails>();
        builder.Services.AddSingleton<ThumbnailEndpoint>();
        if (options.HttpPort > 0)
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.Host), options.HttpPort, listen =>
            {
                // With TLS, ALPN lets one port offer both; on cleartext only HTTP/1.1 works for browsers.
                listen.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (certificate is not null) listen.UseHttps(certificate);
            }));
        return builder;
    }

    /// <summary>Maps the page files at "/" and the thumbnails (<see cref="ThumbnailEndpoint"/>), bounds and counts JSON calls (<see cref="JsonCalls"/>) and keeps everything but /metrics off the metrics port.</summary>
    public static WebApplication MapSearchPage(this WebApplication app, ServerOptions options)
    {
        if (options.MetricsPort > 0)
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort != options.MetricsPort) return next(context);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        var json = app.Services.GetRequiredService<JsonCalls>();
        app.Use((context, next) => json.InvokeAsync(context, next));
        var assets = app.Services.GetRequiredService<PageAssets>();
        app.MapGet("/", context => assets.ServeAsync(context, "index.html"));
        var thumbnails = app.Services.GetRequiredService<ThumbnailEndpoint>();
        app.MapGet(ThumbnailEndpoint.Route, thumbnails.HandleAsync);
        foreach (var name in assets.Names)
            app.MapGet($"/{name}", context => assets.ServeAsync(context, name));
        return app;
    }
}
