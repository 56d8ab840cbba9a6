# The order in which build.ps1 -Task Test's Pester workers take the files (tests/pester/Invoke-PesterSuite.ps1
# -QueueOrderPath): these, slowest first, then every other file by name. Only an order: a file missing here still
# runs. Slow files go first so that no long file starts last and runs alone while the other workers sit idle.
# Seconds from the NUnit XML of the parallel run on 7.6 (the 2-core build machine, 7 December 2026), corrected for the
# files made shorter after it (Concurrency, SaveSync, Cancellation, DownloadLimits) and split after it: about 6 s of
# Errors' 9 are Retries now (the rest, about 4 s, is too short to start early), and Cancellation's 22 s are about 12
# in Cancellation and 10 in CancellationShapes; SaveCodatFiles' 15 s about 8 in SaveCodatFiles and 7 in
# SaveCodatFilesAcross.
@{
    SlowestFirst = @(
        'Concurrency.Tests.ps1'
        'SaveSync.Tests.ps1'
        'Progress.Tests.ps1'
        'Package.Tests.ps1'
        'EmulatorPackage.Tests.ps1'
        'Soak.Tests.ps1'
        'SaveCodatFiles.Tests.ps1'
        'SaveCodatFilesAcross.Tests.ps1'
        'Cancellation.Tests.ps1'
        'CancellationShapes.Tests.ps1'
        'Harness.Tests.ps1'
        'SaveOutput.Tests.ps1'
        'BadInputs.Tests.ps1'
        'Retries.Tests.ps1'
        'Isolation.Tests.ps1'
        'Runbook.Tests.ps1'
        'DownloadLimits.Tests.ps1'
    )
}
