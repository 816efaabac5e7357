using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A BEI stand-in for the embedding benchmark: POST .../v1/embeddings answered from answers encoded
// once per (batch size, encoding), dimension 1,024, so that serving a request costs a scan of its
// small body and a copy of a ready buffer: far less than either client spends reading it.
// Usage: StandIn <port> [delay-ms]
int port = int.Parse(args[0], CultureInfo.InvariantCulture);
int delay = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
const int Dimensions = 1024;

var random = new Random(1024);
float[] vector = Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() - 0.5) / 8).ToArray();
string floats = "[" + string.Join(",", vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
string base64 = "\"" + Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())) + "\"";
var answers = new ConcurrentDictionary<(int, bool), byte[]>();

byte[] Answer(int count, bool isBase64) => answers.GetOrAdd((count, isBase64), key =>
{
    var json = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < key.Item1; i++)
    {
        json.Append(i == 0 ? "" : ",").Append("{\"object\":\"embedding\",\"embedding\":").Append(key.Item2 ? base64 : floats).Append(",\"index\":").Append(i).Append('}');
    }

    return Encoding.UTF8.GetBytes(json.Append("],\"model\":\"model\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}").ToString());
});

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseKestrel(k => k.Limits.MaxRequestBodySize = null).UseUrls("http://127.0.0.1:" + port);
builder.Logging.ClearProviders();
WebApplication app = builder.Build();
app.Run(async context =>
{
    using var body = new MemoryStream();
    await context.Request.Body.CopyToAsync(body);
    int count = 0;
    bool isBase64 = false;
    var reader = new Utf8JsonReader(body.GetBuffer().AsSpan(0, (int)body.Length));
    while (reader.Read())
    {
        if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
        {
            if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    count++;
                }
            }
            else if (reader.ValueTextEquals("encoding_format"u8))
            {
                reader.Read();
                isBase64 = reader.ValueTextEquals("base64"u8);
            }
        }
    }

    if (delay > 0)
    {
        await Task.Delay(delay);
    }

    byte[] answer = Answer(count, isBase64);
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = answer.Length;
    await context.Response.Body.WriteAsync(answer);
});
await app.StartAsync();
Console.WriteLine("listening on " + port);
await app.WaitForShutdownAsync();
