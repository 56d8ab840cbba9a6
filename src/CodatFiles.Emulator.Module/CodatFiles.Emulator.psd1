# Module manifest of CodatFiles.Emulator, the companion package that runs the local Codat Files API emulator.
# tools/CodatEmulatorModule.ps1 copies it to out/CodatFiles.Emulator/ and fills {{ModuleVersion}} and {{ProjectUri}}
# from Directory.Build.props (the one version of the build), beside the self-contained servers under server/<rid>/.
@{
    RootModule           = 'CodatFiles.Emulator.psm1'
    ModuleVersion        = '{{ModuleVersion}}'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = 'c0d3e7a1-5f2b-4c8e-9d14-7a6b3e2f1c05'
    Author               = 'CodatFiles contributors'
    CompanyName          = 'CodatFiles'
    Copyright            = '(c) 2026 CodatFiles contributors. MIT License.'
    Description          = "A local emulator of Codat's Files API for offline scripts and tests of the CodatFiles module: Start-CodatEmulator runs it on 127.0.0.1 (self-contained, no .NET SDK or ASP.NET Core needed; Windows x64, Linux x64 and arm64, macOS x64 and arm64), Invoke-CodatEmulatorControl injects faults, latency, quota and clock changes and reads its request log, Stop-CodatEmulator stops it."
    PowerShellVersion    = '5.1'
    FunctionsToExport    = @('Start-CodatEmulator', 'Stop-CodatEmulator', 'Invoke-CodatEmulatorControl')
    CmdletsToExport      = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Codat', 'Emulator', 'Files', 'API', 'Testing', 'Offline', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = '{{ProjectUri}}'
            LicenseUri   = '{{ProjectUri}}/blob/main/LICENSE'
            ReleaseNotes = 'First release: Start-CodatEmulator, Stop-CodatEmulator and Invoke-CodatEmulatorControl, with the emulator server self-contained for each platform.'
        }
    }
}
