using System.Diagnostics.CodeAnalysis;

// Deliberate exceptions to the analyzers (docs/development.md#analyzers), each with its reason.
[assembly: SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Scope = "type", Target = "~T:Retrieval.Serve.Engine.DecodeGate",
    Justification = "Its SemaphoreSlim is only awaited (no AvailableWaitHandle), so it holds no OS handle; the gate lives as long as the server.")]
