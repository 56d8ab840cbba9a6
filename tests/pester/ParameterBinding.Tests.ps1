# The cmdlets the module exports and their parameters: -ApiKey as SecureString, -ServerUrl, the retry parameters and
# Guid ids on each, and what parameter binding rejects (malformed ids, out-of-range retry values) before any request.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $emulator, $conn, $work = Initialize-TestFile
    $companyId = Get-SeedCompanyId
    $connectionId = Get-SeedConnectionId
    $sample = New-TestFile -Directory $work.FullName -Name 'binding-sample.pdf' -Length 2048
    # One upload, so that the request log shows what a rejected call would add to it.
    Send-CodatFile -LiteralPath $sample.FullName -CompanyId $companyId -ConnectionId $connectionId @conn -ErrorAction Stop | Out-Null
}

AfterAll { Stop-TestFile $emulator $work }

Describe 'The module' {
    It 'exports the six cmdlets' {
        $names = (Get-Command -Module CodatFiles -CommandType Cmdlet).Name | Sort-Object
        $names | Should -Be @('Connect-Codat', 'Disconnect-Codat', 'Get-CodatContext', 'Get-CodatFileList', 'Save-CodatFiles', 'Send-CodatFile')
    }

    It '<Name> takes -ApiKey as SecureString, -ServerUrl and the retry parameters' -TestCases @(
        @{ Name = 'Send-CodatFile' }, @{ Name = 'Get-CodatFileList' }, @{ Name = 'Save-CodatFiles' }, @{ Name = 'Connect-Codat' }
    ) {
        $parameters = (Get-Command $Name).Parameters
        $parameters['ApiKey'].ParameterType | Should -Be ([securestring])
        $parameters.Keys | Should -Contain 'ServerUrl'
        $parameters.Keys | Should -Contain 'MaximumRetryCount'
        $parameters.Keys | Should -Contain 'RetryIntervalSec'
        $parameters.Keys | Should -Contain 'TimeoutSec'
    }

    It '<Name> types -CompanyId as Guid' -TestCases @(
        @{ Name = 'Send-CodatFile' }, @{ Name = 'Get-CodatFileList' }, @{ Name = 'Save-CodatFiles' }
    ) {
        (Get-Command $Name).Parameters['CompanyId'].ParameterType | Should -Be ([guid])
    }

    It 'Send-CodatFile types -ConnectionId as Guid' {
        (Get-Command Send-CodatFile).Parameters['ConnectionId'].ParameterType | Should -Be ([guid])
    }
}

Describe 'Parameter binding of ids' {
    It 'rejects a malformed -CompanyId with a parameter binding error (<Name>)' -TestCases @(
        @{ Name = 'Get-CodatFileList'; Extra = @{} }
        @{ Name = 'Save-CodatFiles'; Extra = @{ DestinationPath = 'unused-dest' } }
    ) {
        $splat = @{ CompanyId = 'not-a-guid' } + $Extra + (Get-TestConnection $emulator)
        $caught = $null
        try { & $Name @splat -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception | Should -BeOfType ([Management.Automation.ParameterBindingException])
        $caught.Exception.ParameterName | Should -Be 'CompanyId'
    }

    It 'rejects -<Name> <Value> with a parameter binding error' -TestCases @(
        @{ Name = 'MaximumRetryCount'; Value = -1 }
        @{ Name = 'RetryIntervalSec'; Value = -1 }
        @{ Name = 'TimeoutSec'; Value = 0 }
    ) {
        $splat = @{ $Name = $Value }
        $caught = $null
        try { Get-CodatFileList -CompanyId $companyId @conn @splat -ErrorAction Stop } catch { $caught = $_ }
        $caught.Exception | Should -BeOfType ([Management.Automation.ParameterBindingException])
        $caught.Exception.ParameterName | Should -Be $Name
    }

    It 'rejects a malformed -ConnectionId with a parameter binding error' {
        $caught = $null
        try { Send-CodatFile -LiteralPath $sample.FullName -CompanyId $companyId -ConnectionId '123' @conn -ErrorAction Stop } catch { $caught = $_ }
        $caught.Exception | Should -BeOfType ([Management.Automation.ParameterBindingException])
        $caught.Exception.ParameterName | Should -Be 'ConnectionId'
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1 -Because 'only the BeforeAll upload reached the emulator'
    }
}
