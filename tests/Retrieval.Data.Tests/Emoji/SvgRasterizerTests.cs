using System.Text;
using Retrieval.Data.Emoji;

namespace Retrieval.Data.Tests.Emoji;

public sealed class SvgRasterizerTests
{
    private static byte[] Svg(string body, string viewBox = "0 0 72 72") =>
        Encoding.UTF8.GetBytes($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{viewBox}\">{body}</svg>");

    [Fact]
    public void Renders_over_white_framed_by_what_it_draws()
    {
        // A red square drawn in the middle third of a 72-unit canvas, with a half-transparent blue stripe.
        var image = SvgRasterizer.Render(Svg("<rect x=\"24\" y=\"24\" width=\"24\" height=\"24\" fill=\"#ff0000\"/>" +
                                             "<rect x=\"24\" y=\"24\" width=\"24\" height=\"6\" fill=\"#0000ff\" fill-opacity=\"0.5\"/>"), 64, SvgLimits.Default);
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Equal((255, 0, 0), TestImages.At(image, 32, 40));
        // The square fills the frame less a 1/32 margin (2 px), not the middle third of it.
        Assert.Equal((255, 0, 0), TestImages.At(image, 3, 60));
        Assert.Equal((255, 255, 255), TestImages.At(image, 0, 63));
        // Alpha over white: 50% blue over red -> (127..128, 0, 127..128).
        var (r, g, b) = TestImages.At(image, 32, 4);
        Assert.InRange(r, 126, 129);
        Assert.Equal(0, g);
        Assert.InRange(b, 126, 129);
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect", "malformed XML")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&b;</text></svg>", "malformed XML")]
    [InlineData("<html/>", "not <svg>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 9 9\"><image xlink:href=\"file:///etc/passwd\" width=\"9\" height=\"9\"/></svg>", "refers outside the file")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 9 9\"><rect width=\"9\" height=\"9\" style=\"fill:url(http://example.invalid/p)\"/></svg>", "refers outside the file")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 9 9\"><style>@import url(a.css);</style></svg>", "refers outside the file")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 72 72\"><g/></svg>", "renders nothing")]
    public void Bad_files_are_refused_with_a_reason(string svg, string reason)
    {
        var e = Assert.Throws<SvgRejectedException>(() => SvgRasterizer.Render(Encoding.UTF8.GetBytes(svg), 64, SvgLimits.Default));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void The_size_and_complexity_guard_refuses_before_rendering()
    {
        var many = Svg(string.Concat(Enumerable.Repeat("<rect x=\"1\" y=\"1\" width=\"2\" height=\"2\"/>", 50)));
        Assert.Contains("bytes", Assert.Throws<SvgRejectedException>(() => SvgRasterizer.Render(many, 64, new SvgLimits(MaxBytes: 100))).Message);
        Assert.Contains("elements", Assert.Throws<SvgRejectedException>(() => SvgRasterizer.Render(many, 64, new SvgLimits(MaxElements: 10))).Message);
        Assert.Contains("drawing operations",
            Assert.Throws<SvgRejectedException>(() => SvgRasterizer.Render(many, 64, new SvgLimits(MaxDrawOperations: 10))).Message);
        Assert.Equal(64, SvgRasterizer.Render(many, 64, SvgLimits.Default).Width);
    }
}
