# Dot-sourced by TestSupport.psm1 (its functions are the module's): one emulator process per Pester worker, reset for
# each test file, or one of a file's own where it needs other options (tools/CodatDevEmulator.psm1); and fault
# injection, request-log reads, the clock, the quota and the archive layout through its control endpoints
# (docs/design/contracts.md).

# The company and connection the emulator seeds (docs/design/contracts.md).
$script:SeedCompanyId = [guid] '8a210b68-6988-11ed-a1eb-0242ac120002'
$script:SeedConnectionId = [guid] '2e9d2c44-f675-40ba-8049-353bfcb5e171'

function Get-SeedCompanyId { $script:SeedCompanyId }
function Get-SeedConnectionId { $script:SeedConnectionId }

function Start-TestEmulator {
    <#
    The emulator of a test file. Without -AdditionalArguments: this process's shared emulator, reset (no files, faults,
    log, quota or clock override left from the file before), started on first use and kept for the next files of the
    same Pester worker; starting one costs about a second of CPU and its first requests as much again, which the 51
    files paid each. With -AdditionalArguments (a latency, an API key): a process of its own. Either way the file ends
    with Stop-TestEmulator, which leaves the shared one running for the next file.
    #>
    param([string[]] $AdditionalArguments = @())
    if ($AdditionalArguments.Count -gt 0) { return Start-CodatDevEmulator -AdditionalArguments $AdditionalArguments }
    # A global variable: each test file imports this module again with -Force, which empties its script scope.
    $shared = Get-Variable -Name CodatFilesTestSharedEmulator -Scope Global -ValueOnly -ErrorAction Ignore
    if (-not $shared -or $shared.Process.HasExited) {
        $shared = Start-CodatDevEmulator
        $shared | Add-Member -NotePropertyName Shared -NotePropertyValue $true
        $global:CodatFilesTestSharedEmulator = $shared
    }
    Reset-TestEmulator $shared
    $shared
}

function Stop-TestEmulator {
    <# Stops an emulator of a file's own; the shared one keeps running for the next file (Stop-SharedTestEmulator). #>
    param($Emulator)
    if ($Emulator -and -not $Emulator.PSObject.Properties['Shared']) { Stop-CodatDevEmulator -Emulator $Emulator }
}

function Stop-SharedTestEmulator {
    <# The end of a Pester worker: stops its shared emulator and removes its folder. #>
    $shared = Get-Variable -Name CodatFilesTestSharedEmulator -Scope Global -ValueOnly -ErrorAction Ignore
    if ($shared) {
        Stop-CodatDevEmulator -Emulator $shared
        Remove-Variable -Name CodatFilesTestSharedEmulator -Scope Global
    }
}

function Invoke-TestEmulatorControl {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body)
    $parameters = @{ Emulator = $Emulator; Method = $Method; Path = $Path }
    if ($PSBoundParameters.ContainsKey('Body')) { $parameters.Body = $Body }
    Invoke-CodatDevEmulatorControl @parameters
}

function Reset-TestEmulator {
    <# Clears stored files, faults, the request log, quotas and the clock override. #>
    param([Parameter(Mandatory)] $Emulator)
    Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method POST -Path 'reset' | Out-Null
}

function New-TestCompany {
    <# Registers a fresh company with one connection; returns CompanyId and ConnectionId (Guids). #>
    param([Parameter(Mandatory)] $Emulator, [string] $Integration = 'Accounting')
    $company = [guid]::NewGuid()
    $connection = [guid]::NewGuid()
    Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method POST -Path 'companies' -Body @{
        companyId   = $company.ToString()
        connections = @(@{ connectionId = $connection.ToString(); integration = $Integration })
    } | Out-Null
    [pscustomobject]@{ CompanyId = $company; ConnectionId = $connection; Integration = $Integration }
}

function Add-TestFault {
    <# Injects a fault for the next -Count matching API requests. #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('upload-files', 'list-files', 'download-files', $null)] [string] $Operation,
        [ValidateSet('status', 'reset-before-body', 'reset-after-body', 'delay', 'store-then-drop', 'store-then-delay', 'late-commit', 'html-page', 'redirect', 'raw-body', 'accept-not-store')] [string] $Kind = 'status',
        [int] $Status = 503,
        [int] $Count = 1,
        [string] $RetryAfter,
        [int] $DelayMs = 0,
        [double] $Probability = 1,
        # What a raw-body fault answers (200 application/octet-stream); an empty array for an empty body.
        [byte[]] $RawBody,
        # A status or redirect fault quotes the key the request sent (contracts.md: echoKey).
        [switch] $EchoKey
    )
    $body = [ordered]@{ operation = $(if ($Operation) { $Operation } else { $null }); count = $Count; kind = $Kind; status = $Status; delayMs = $DelayMs; probability = $Probability }
    if ($RetryAfter) { $body.retryAfter = $RetryAfter }
    if ($PSBoundParameters.ContainsKey('RawBody')) { $body.bodyBase64 = [Convert]::ToBase64String([byte[]] @($RawBody)) }
    if ($EchoKey) { $body.echoKey = $true }
    Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method POST -Path 'faults' -Body $body | Out-Null
}

function Clear-TestFault {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method DELETE -Path 'faults' | Out-Null
}

function Get-TestRequestLog {
    <# The emulator's log of API requests, optionally only one operation. #>
    param([Parameter(Mandatory)] $Emulator, [string] $Operation)
    # Written one entry at a time: callers count with @(...).Count.
    $log = Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method GET -Path 'requests' | ForEach-Object { $_ }
    if ($Operation) { $log | Where-Object operation -EQ $Operation } else { $log }
}

function Get-TestStoredFileName {
    <# The names of the files the emulator holds for a company, sorted, read through its API (not through the cmdlets). #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [guid] $CompanyId)
    $headers = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Emulator.ApiKey)) }
    @(Invoke-RestMethod -Uri ($Emulator.BaseUrl.TrimEnd('/') + "/companies/$CompanyId/files") -Headers $headers |
            ForEach-Object { $_ } | ForEach-Object fileName | Sort-Object)
}

function Clear-TestRequestLog {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method DELETE -Path 'requests' | Out-Null
}

function Set-TestClock {
    <# Uploads from now on are stamped from this UTC time. -Now $null returns to the real clock. #>
    param([Parameter(Mandatory)] $Emulator, [AllowNull()] $Now)
    if ($null -eq $Now) {
        Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method DELETE -Path 'clock' | Out-Null
    } else {
        $text = ([datetime] $Now).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [Globalization.CultureInfo]::InvariantCulture)
        Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method POST -Path 'clock' -Body @{ now = $text } | Out-Null
    }
}

function Set-TestQuota {
    <#
    From now on exactly -Remaining API requests are left (each counted request takes one, whatever companies are
    added), until -ResetsAt (default the next 00:00 UTC), as the X-Rate-Limit-* headers then say. Reset-TestEmulator
    undoes it. Returns the emulator's answer (limit, remaining, resetsAt).
    #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [int] $Remaining, [DateTimeOffset] $ResetsAt)
    $body = @{ remaining = $Remaining }
    if ($PSBoundParameters.ContainsKey('ResetsAt')) { $body.resetsAt = $ResetsAt.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ') }
    Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method PUT -Path 'quota' -Body $body
}

function Set-TestArchiveLayout {
    <#
    How the emulator names download zip entries: -Flat puts every entry at the top (no <sourceType>/ folder),
    -UnderscoreCopies numbers a repeated name stem_1.ext, stem_2.ext, ... instead of stem (2).ext. Neither: Codat's.
    #>
    param([Parameter(Mandatory)] $Emulator, [switch] $Flat, [switch] $UnderscoreCopies)
    Invoke-CodatDevEmulatorControl -Emulator $Emulator -Method POST -Path 'archive-layout' -Body @{
        folders = -not $Flat
        copies  = if ($UnderscoreCopies) { 'underscore' } else { 'parenthesized' }
    } | Out-Null
}
