using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Pipeline
{
    /// <summary>Admission to a limited number of concurrent jobs: enter before the job, leave after it.</summary>
    internal interface IConcurrencyGate
    {
        /// <summary>Completes once the job may run; cancelled jobs never hold a place.</summary>
        Task EnterAsync(CancellationToken cancellationToken);

        /// <summary>Gives the place back (exactly once per completed <see cref="EnterAsync"/>).</summary>
        void Leave();
    }
}
