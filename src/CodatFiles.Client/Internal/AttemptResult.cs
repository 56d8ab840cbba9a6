namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// What one attempt produced: the operation's value, or a non-success response already read and disposed.
    /// Network failures and timeouts are thrown instead, so Polly sees them as exception outcomes.
    /// </summary>
    internal sealed class AttemptResult<T>
    {
        private AttemptResult(T value, HttpFailure? failure)
        {
            Value = value;
            Failure = failure;
        }

        public T Value { get; }

        public HttpFailure? Failure { get; }

        public static AttemptResult<T> Success(T value) => new AttemptResult<T>(value, null);

        public static AttemptResult<T> Failed(HttpFailure failure) => new AttemptResult<T>(default!, failure);
    }
}
