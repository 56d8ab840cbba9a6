namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// What one attempt produced, as the client's one retry pipeline sees it whatever the operation: a
    /// non-success response already read and disposed, or none. Network failures and timeouts are thrown instead,
    /// so Polly sees them as exception outcomes.
    /// </summary>
    internal abstract class AttemptResult
    {
        protected AttemptResult(HttpFailure? failure)
        {
            Failure = failure;
        }

        public HttpFailure? Failure { get; }
    }

    /// <summary>An attempt's outcome with the operation's value when it succeeded.</summary>
    internal sealed class AttemptResult<T> : AttemptResult
    {
        private AttemptResult(T value, HttpFailure? failure)
            : base(failure)
        {
            Value = value;
        }

        public T Value { get; }

        public static AttemptResult<T> Success(T value) => new AttemptResult<T>(value, null);

        public static AttemptResult<T> Failed(HttpFailure failure) => new AttemptResult<T>(default!, failure);
    }
}
