using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>Multipart part names are written quoted, as browsers write them, whatever .NET would do.</summary>
public sealed class FormDataNamesTests
{
    private static async Task<string> WrittenAsync(MultipartFormDataContent form)
    {
        FormDataNames.Normalize(form);
        FormDataNames.Normalize(form);
        return Encoding.UTF8.GetString(await form.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task NamesAndAsciiFileNames_AreQuoted_WithoutFileNameStar()
    {
        using MultipartFormDataContent form = ApiContent.Multipart();
        form.Add(new StringContent("a cat"), "prompt");
        form.Add(ApiContent.Binary(new MemoryStream([1, 2]), "image/png"), "image", "cat.png");

        string written = await WrittenAsync(form);

        Assert.Contains("Content-Disposition: form-data; name=\"prompt\"\r\n", written, System.StringComparison.Ordinal);
        Assert.Contains("Content-Disposition: form-data; name=\"image\"; filename=\"cat.png\"\r\n", written, System.StringComparison.Ordinal);
        Assert.DoesNotContain("filename*", written, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonAsciiFileName_KeepsFileNameStar()
    {
        using MultipartFormDataContent form = ApiContent.Multipart();
        form.Add(ApiContent.Binary(new MemoryStream([1]), "image/png"), "image", "chat-é.png");

        string written = await WrittenAsync(form);

        Assert.Contains("name=\"image\"", written, System.StringComparison.Ordinal);
        Assert.Contains("filename*=utf-8''chat-%C3%A9.png", written, System.StringComparison.Ordinal);
    }
}
