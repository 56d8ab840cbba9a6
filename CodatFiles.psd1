# Module manifest of CodatFiles. build.ps1 copies it to out/CodatFiles/ and fills {{ModuleVersion}} and
# {{ProjectUri}} from Directory.Build.props, so the whole build has one version number and one project address.
@{
    RootModule             = 'CodatFiles.dll'
    ModuleVersion          = '{{ModuleVersion}}'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '5b7c1f0e-3a4d-4f39-9a61-2d8e6f1c0b42'
    Author                 = 'CodatFiles contributors'
    CompanyName            = 'CodatFiles'
    Copyright              = '(c) 2026 CodatFiles contributors. MIT License.'
    Description            = "Upload, list and download SMB customers' files through Codat's Files API: pipeline-friendly cmdlets with retries, progress and cancellation. For offline scripts and tests, the companion module CodatFiles.Emulator runs a local emulator of the API (Start-CodatEmulator)."
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('CodatFiles.format.ps1xml')
    CmdletsToExport        = @('Connect-Codat', 'Disconnect-Codat', 'Get-CodatContext', 'Send-CodatFile', 'Get-CodatFileList', 'Save-CodatFiles')
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Codat', 'Accounting', 'Files', 'API', 'Upload', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = '{{ProjectUri}}'
            LicenseUri   = '{{ProjectUri}}/blob/main/LICENSE'
            ReleaseNotes = '{{ReleaseNotes}}'
        }
    }
}
