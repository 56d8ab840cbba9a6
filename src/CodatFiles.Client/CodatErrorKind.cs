namespace CodatFiles.Client
{
    /// <summary>What kind of failure a <see cref="CodatApiException"/> is, from its HTTP status.</summary>
    public enum CodatErrorKind
    {
        /// <summary>400: the request is not valid (for uploads: a file over the limits).</summary>
        BadRequest,
        /// <summary>401: the API key is missing or wrong.</summary>
        Unauthorized,
        /// <summary>402: an account limit was exceeded.</summary>
        PaymentRequired,
        /// <summary>403: the key is outdated or not associated with the resource.</summary>
        Forbidden,
        /// <summary>404: company or connection not found.</summary>
        NotFound,
        /// <summary>408: the server timed out waiting for the request.</summary>
        RequestTimeout,
        /// <summary>429: rate limit or concurrency limit hit.</summary>
        TooManyRequests,
        /// <summary>500 and other 5xx but 503.</summary>
        ServerError,
        /// <summary>503: Codat is offline for maintenance.</summary>
        ServiceUnavailable,
        /// <summary>Any other non-success status.</summary>
        Other,
        /// <summary>407: a proxy between the client and Codat asks for credentials (none, or wrong ones, were given). Not retried.</summary>
        ProxyAuthenticationRequired,
    }
}
