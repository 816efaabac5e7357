using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Lambda;

/// <summary>
/// The predict mode (the default): the event read as the model's input, one predict through
/// <see cref="BasetenInferenceClient"/> with the function's own JSON metadata, the output as the response.
/// </summary>
internal sealed class PredictFunction : ModelFunction
{
    private readonly BasetenInferenceClient _model;
    private readonly PredictTarget? _target;

    /// <exception cref="FunctionSettings.InvalidException">The client refuses the settings (a base address it will not send the key to, say).</exception>
    public PredictFunction(FunctionSettings settings, TimeProvider time)
        : base(settings, time)
    {
        try
        {
            _model = new BasetenInferenceClient(settings.Options);
        }
        catch (ArgumentException exception)
        {
            throw new FunctionSettings.InvalidException(ErrorTypes.ConfigInvalid, "the Baseten client refuses its settings: " + exception.Message);
        }

        _target = settings.Target;
    }

    protected override string InputName => "the model's input";

    protected override string CallName => "the predict";

    protected override object? ReadEvent(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, ModelJson.Default.ModelInput);

    protected override async Task<byte[]> CallAsync(object input, CancellationToken cancellationToken)
    {
        ModelOutput output = await _model.PredictAsync((ModelInput)input, ModelJson.Default.ModelInput, ModelJson.Default.ModelOutput, _target, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(output, ModelJson.Default.ModelOutput);
    }

    public override void Dispose() => _model.Dispose();
}
