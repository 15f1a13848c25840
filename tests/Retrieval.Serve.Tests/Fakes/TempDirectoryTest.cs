namespace Retrieval.Serve.Tests.Fakes;

/// <summary>A test class with its own temporary folder (<see cref="Dir"/>), deleted after each test.</summary>
public abstract class TempDirectoryTest : IDisposable
{
    /// <summary>The test's folder, named after the test class.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory("retrieval-test").FullName;

    /// <summary>Settings for <see cref="Service.ServingHost.StartAsync"/>: a fake model, an index file and, when <paramref name="galleryItems"/> > 0, a --data gallery — all under <see cref="Dir"/>.</summary>
    protected Dictionary<string, string?> FakeServerSettings(int galleryItems)
    {
        var data = Path.Combine(Dir, "data");
        if (galleryItems > 0) Service.ServingHost.WriteGallery(data, galleryItems);
        return new()
        {
            ["Model"] = FakeModelLoader.Write(Path.Combine(Dir, "model.onnx"), 1),
            ["Data"] = galleryItems > 0 ? data : null,
            ["Index"] = Path.Combine(Dir, "gallery"),
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
