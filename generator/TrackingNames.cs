namespace Baseten.Aot.Generator;

/// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
internal static class TrackingNames
{
    /// <summary>Every AdditionalFile a document may refer to (opted in, or YAML or JSON), with its text and the files its $refs name.</summary>
    public const string Sources = nameof(Sources);

    /// <summary>Opted-in AdditionalFiles with their text, options and the other files their $refs reach.</summary>
    public const string Inputs = nameof(Inputs);

    /// <summary>The generated files, one value each with the slice of the model it is written from.</summary>
    public const string Files = nameof(Files);

    /// <summary>Text to the document model and the diagnostics of reading it.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The whole document to C# shapes (the model) and every diagnostic.</summary>
    public const string Shape = nameof(Shape);

    /// <summary>The model alone, without positions: what the emitters read.</summary>
    public const string Model = nameof(Model);

    /// <summary>The diagnostics alone.</summary>
    public const string Diagnostics = nameof(Diagnostics);
}
