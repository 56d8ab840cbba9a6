# The Pester files that build.ps1 -Task Test also runs on PowerShell 7.4 LTS (the whole suite runs on the pinned 7.6;
# build.ps1 -PowerShellVersion 7.4 runs all of it on 7.4). Chosen for what can differ between PowerShell versions:
# assembly loading and isolation, parameter binding, the installed package, the three operations, errors and
# stopping. The rest drive the same code paths through the same engine and take most of the suite's time.
@{
    Files = @(
        'Harness.Tests.ps1'          # the runner itself; children start on the suite's own PowerShell version
        'ModuleLoading.Tests.ps1'    # loading: module initializer, default views, public surface
        'Isolation.Tests.ps1'        # isolation from other Polly versions loaded in the same process
        'Connection.Tests.ps1'       # Connect-Codat, environment variables, secrets
        'ParameterBinding.Tests.ps1' # the exported cmdlets, parameter types, binding of ids and retry values
        'PipelineOutput.Tests.ps1'   # binding of pipeline input (Import-Csv rows, piped results), the summary record
        'ArgumentCompletion.Tests.ps1' # TabExpansion2 completing ids and source types
        'Package.Tests.ps1'          # the Gallery package saved with PSResourceGet and imported by name
        'EmulatorPackage.Tests.ps1'  # the companion CodatFiles.Emulator installed by name, serving the Demo
        'Smoke.Tests.ps1'            # the main job end to end
        'SendCodatFile.Tests.ps1'    # upload, path binding, batching
        'SendCodatFileChecks.Tests.ps1' # upload pre-checks, -WhatIf and -Confirm, a 400 attributed to its files
        'GetCodatFileList.Tests.ps1' # list
        'SaveCodatFiles.Tests.ps1'   # download
        'SaveCodatFilesAcross.Tests.ps1' # download piped from the list, across days, companies and names
        'Errors.Tests.ps1'           # HTTP and connection errors, -ErrorAction
        'Retries.Tests.ps1'          # retries, Retry-After, refused credentials stopping an upload
        'Cancellation.Tests.ps1'     # Ctrl+C (StopProcessing) in every cmdlet, held or waiting for a retry
        'CancellationShapes.Tests.ps1' # Ctrl+C in every pipeline shape; Select-Object -First ending Send-CodatFile
        'Runbook.Tests.ps1'          # the runbook-style run Azure Automation's 7.4 runtime gives
        'ReRuns.Tests.ps1'           # the month-end job run again (CSV binding, -WhatIf's preview, kill -9)
    )
}
