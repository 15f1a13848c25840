namespace Retrieval.Serve.Engine;

/// <summary>Why a request was refused; maps one-to-one to a gRPC status code.</summary>
public enum RequestError
{
    /// <summary>A field is malformed (corrupt or empty image, k ≤ 0, wrong vector size).</summary>
    InvalidArgument,

    /// <summary>The request is over a configured limit (image pixels).</summary>
    ResourceExhausted,

    /// <summary>The server is not in a state to answer (empty gallery, not loaded yet), or a named model cannot be served.</summary>
    FailedPrecondition,

    /// <summary>A named thing (a model file in the models folder) does not exist.</summary>
    NotFound,

    /// <summary>The call raced another change (the model was reloaded during an upsert); sending it again will work.</summary>
    Aborted,
}
