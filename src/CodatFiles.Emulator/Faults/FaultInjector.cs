namespace CodatFiles.Emulator.Faults;

/// <summary>
/// One fault as it is applied to a request; <paramref name="Body"/> is what a raw-body fault answers, and
/// <paramref name="EchoKey"/> makes a status or redirect fault quote the key the request sent, as a careless server would.
/// </summary>
internal sealed record Fault(FaultKind Kind, int Status, string? RetryAfter, int DelayMs, byte[]? Body = null, bool EchoKey = false);

/// <summary>
/// Pending fault rules, consumed in the order they were added: each matching API request takes one use of the
/// first rule that still has uses left for its operation and, for a rule with a probability below 1, whose draw
/// hits (a miss passes the request on to the next rule), so a soak test can fault a share of requests at random.
/// </summary>
internal sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = new();

    /// <param name="operation">An operationId, or null for any operation.</param>
    /// <param name="probability">The chance (0 to 1] that a matching request takes this rule.</param>
    public void Add(string? operation, int count, Fault fault, double probability = 1)
    {
        lock (_gate)
        {
            _rules.Add(new Rule(operation, count, fault, probability));
        }
    }

    public Fault? TryTake(string operation)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => (r.Operation is null || r.Operation == operation) &&
                                                  (r.Probability >= 1 || Random.Shared.NextDouble() < r.Probability));
            if (rule is null)
            {
                return null;
            }
            if (--rule.RemainingUses == 0)
            {
                _rules.Remove(rule);
            }
            return rule.Fault;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    private sealed class Rule(string? operation, int count, Fault fault, double probability)
    {
        public double Probability { get; } = probability;
        public string? Operation { get; } = operation;
        public int RemainingUses { get; set; } = count;
        public Fault Fault { get; } = fault;
    }
}
