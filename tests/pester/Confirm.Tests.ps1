# Send-CodatFile -Confirm through a real prompt: a runspace whose host answers PromptForChoice from a script of
# answers, and records each prompt with the number of API requests the emulator had received at that moment.
BeforeAll {
    $ErrorActionPreference = 'Continue'
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-TestModule
    $emulator = Start-TestEmulator
    $modulePath = Get-TestModulePath
    $work = New-TestDirectory

    if (-not ('CodatFilesTests.ScriptedHost' -as [type])) {
        # C#: the host is called on the other runspace's pipeline thread, where no script block may run.
        Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Net.Http;
using System.Security;
using System.Text.RegularExpressions;

namespace CodatFilesTests
{
    public sealed class AnsweredPrompt
    {
        public string Message { get; set; }
        public string Answer { get; set; }
        public int RequestsBefore { get; set; }
    }

    /// <summary>A host whose only interaction is answering choice prompts, in order, from a script.</summary>
    public sealed class ScriptedHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly ScriptedUI _ui;

        public ScriptedHost(string[] answers, string requestLogUrl, string controlToken) { _ui = new ScriptedUI(answers, requestLogUrl, controlToken); }

        public List<AnsweredPrompt> Prompts { get { return _ui.Prompts; } }
        public override PSHostUserInterface UI { get { return _ui; } }
        public override string Name { get { return "CodatFilesTests.ScriptedHost"; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override Guid InstanceId { get { return _id; } }
        public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() { throw new NotSupportedException(); }
        public override void ExitNestedPrompt() { throw new NotSupportedException(); }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class ScriptedUI : PSHostUserInterface
    {
        private static readonly HttpClient Http = new HttpClient();
        private readonly Queue<string> _answers;
        private readonly string _requestLogUrl;
        private readonly string _controlToken;

        public ScriptedUI(string[] answers, string requestLogUrl, string controlToken)
        {
            _answers = new Queue<string>(answers);
            _requestLogUrl = requestLogUrl;
            _controlToken = controlToken;
            Prompts = new List<AnsweredPrompt>();
        }

        public List<AnsweredPrompt> Prompts { get; private set; }

        private string ReadRequestLog()
        {
            using (var request = new HttpRequestMessage(HttpMethod.Get, _requestLogUrl))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _controlToken);
                using (var response = Http.SendAsync(request).GetAwaiter().GetResult())
                {
                    return response.EnsureSuccessStatusCode().Content.ReadAsStringAsync().GetAwaiter().GetResult();
                }
            }
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            if (_answers.Count == 0) throw new InvalidOperationException("Unexpected prompt: " + message);
            var answer = _answers.Dequeue();
            // Asked before answering: no upload may have been sent while a prompt is open (the company's start
            // list, one GET, comes before the first prompt: it decides which files are already stored).
            var requests = Regex.Matches(ReadRequestLog(), "\"operation\"\\s*:\\s*\"upload-files\"").Count;
            Prompts.Add(new AnsweredPrompt { Message = message, Answer = answer, RequestsBefore = requests });
            for (var i = 0; i < choices.Count; i++)
            {
                if (string.Equals(choices[i].Label.Replace("&", ""), answer, StringComparison.OrdinalIgnoreCase)) return i;
            }
            throw new InvalidOperationException("No choice '" + answer + "' in this prompt.");
        }

        public override PSHostRawUserInterface RawUI { get { return null; } }
        public override string ReadLine() { throw new NotSupportedException(); }
        public override SecureString ReadLineAsSecureString() { throw new NotSupportedException(); }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { throw new NotSupportedException(); }
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
'@
    }

    function Invoke-SendWithAnswers {
        <# Runs Send-CodatFile -Confirm on -Files in a runspace whose host gives -Answers; returns Output, Errors, Prompts. #>
        param([Parameter(Mandatory)] [string[]] $Answers, [Parameter(Mandatory)] [string[]] $Files, [Parameter(Mandatory)] $Company,
            [int] $BatchSize = 20)
        $scriptedHost = [CodatFilesTests.ScriptedHost]::new($Answers, $emulator.BaseUrl.TrimEnd('/') + '/_emulator/requests', $emulator.ControlToken)
        $runspace = [runspacefactory]::CreateRunspace($scriptedHost)
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        try {
            $null = $ps.AddScript({
                    param($ModulePath, $Files, $CompanyId, $ConnectionId, $ApiKey, $ServerUrl, $BatchSize)
                    $ProgressPreference = 'SilentlyContinue'
                    Import-Module $ModulePath -ErrorAction Stop
                    Send-CodatFile -LiteralPath $Files -CompanyId $CompanyId -ConnectionId $ConnectionId -ApiKey $ApiKey -ServerUrl $ServerUrl -BatchSize $BatchSize -Confirm
                }.ToString()).AddParameters(@{
                    ModulePath = $modulePath; Files = $Files; CompanyId = $Company.CompanyId; ConnectionId = $Company.ConnectionId
                    ApiKey = (Get-TestApiKey $emulator); ServerUrl = $emulator.BaseUrl; BatchSize = $BatchSize
                })
            $output = $ps.Invoke()
            [pscustomobject]@{ Output = @($output); Errors = @($ps.Streams.Error); Prompts = $scriptedHost.Prompts.ToArray() }
        } finally {
            $ps.Dispose()
            $runspace.Dispose()
        }
    }

    function Get-UploadedNames {
        param([Parameter(Mandatory)] $Company)
        $conn = Get-TestConnection $emulator
        @(Get-CodatFileList -CompanyId $Company.CompanyId @conn -ErrorAction Stop | ForEach-Object FileName | Sort-Object)
    }

    $folder = Join-Path $work.FullName 'confirm'
    $files = @('alpha.pdf', 'bravo.pdf', 'charlie.pdf') | ForEach-Object { (New-TestFile -Directory $folder -Name $_ -Length 500).FullName }
}

AfterAll {
    Stop-TestEmulator $emulator
    Remove-Item -LiteralPath $work.FullName -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Send-CodatFile -Confirm' {
    BeforeEach {
        $company = New-TestCompany $emulator
        Clear-TestRequestLog $emulator
    }

    It 'uploads only the files answered Yes, and asks about every file before sending anything' {
        $run = Invoke-SendWithAnswers -Answers 'Yes', 'No', 'Yes' -Files $files -Company $company
        $run.Errors | Should -BeNullOrEmpty
        $run.Prompts.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) {
            $run.Prompts[$i].Message | Should -Match ([regex]::Escape($files[$i])) -Because 'one prompt per file, in input order'
        }
        $run.Prompts.RequestsBefore | Should -Be @(0, 0, 0) -Because 'no upload is sent while prompts are pending'
        $run.Output.FileName | Sort-Object | Should -Be @('alpha.pdf', 'charlie.pdf')
        Get-UploadedNames $company | Should -Be @('alpha.pdf', 'charlie.pdf')
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 1 -Because 'the approved files went in one request, after the prompts'
    }

    It 'asks about every file before sending anything even when each file fills a batch (-BatchSize 1)' {
        $run = Invoke-SendWithAnswers -Answers 'Yes', 'Yes', 'Yes' -Files $files -Company $company -BatchSize 1
        $run.Errors | Should -BeNullOrEmpty
        $run.Prompts.RequestsBefore | Should -Be @(0, 0, 0) -Because 'full batches wait until every prompt was answered'
        Get-UploadedNames $company | Should -Be @('alpha.pdf', 'bravo.pdf', 'charlie.pdf')
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 3
    }

    It 'does not ask about a file the company already holds, and lists the company once before the first question' {
        Send-TestFile $emulator $company $files[0]
        Clear-TestRequestLog $emulator
        $run = Invoke-SendWithAnswers -Answers 'Yes', 'Yes' -Files $files -Company $company
        $run.Errors | Should -BeNullOrEmpty
        $run.Prompts.Count | Should -Be 2 -Because 'alpha.pdf is stored already: no question about it'
        $run.Prompts.Message | Should -Not -Match 'alpha'
        $run.Output.FileName | Sort-Object | Should -Be @('bravo.pdf', 'charlie.pdf')
        @(Get-TestRequestLog $emulator -Operation 'list-files').Count | Should -Be 1
        Get-UploadedNames $company | Should -Be @('alpha.pdf', 'bravo.pdf', 'charlie.pdf')
    }

    It "stops asking and uploads nothing after 'No to All'" {
        $run = Invoke-SendWithAnswers -Answers 'No to All' -Files $files -Company $company
        $run.Prompts.Count | Should -Be 1
        $run.Output | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        @(Get-TestRequestLog $emulator -Operation 'upload-files').Count | Should -Be 0
        Get-UploadedNames $company | Should -BeNullOrEmpty
    }

    It "stops asking and uploads the rest after 'Yes to All'" {
        $run = Invoke-SendWithAnswers -Answers 'No', 'Yes to All' -Files $files -Company $company
        $run.Prompts.Count | Should -Be 2
        $run.Prompts.RequestsBefore | Should -Be @(0, 0)
        Get-UploadedNames $company | Should -Be @('bravo.pdf', 'charlie.pdf')
    }
}
