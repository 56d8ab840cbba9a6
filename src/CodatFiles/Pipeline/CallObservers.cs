using System;
using CodatFiles.Client;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// What one kind of call adds to the options every call gets (<c>CodatApiCmdletBase.CreateCallOptions</c>), so each
    /// call's options are assembled once, in one place, instead of built and then wrapped downstream.
    /// </summary>
    internal sealed class CallObservers
    {
        /// <summary>Also told of every HTTP exchange (e.g. the quota watch), before the tally and -Debug.</summary>
        public Action<CodatHttpExchange>? OnHttpExchange { get; set; }

        /// <summary>Also told of every retry (e.g. the company's adaptive limit), before the tally and -Verbose.</summary>
        public Action<CodatRetryEvent>? OnRetry { get; set; }

        /// <summary>Told of an unproven re-send instead of the default notice (which names no file).</summary>
        public Action<CodatAmbiguousAttempt>? OnAmbiguousAttempt { get; set; }

        /// <summary>The company's baseline for lost answers (uploads only).</summary>
        public CodatUploadBaseline? UploadBaseline { get; set; }
    }
}
