# docs/fleet/ConfigMgr-Remediation.ps1: ConfigMgr configuration item, remediation script
# ("Run the specified remediation script when this setting is noncompliant"). Runs as SYSTEM.
# Also usable as a "Run Scripts" script: its one output line stays far below the 4 KB limit.
$Csd = $null
foreach ($Root in @($env:ProgramW6432, $env:ProgramFiles)) {
    if ($Root -and (Test-Path -LiteralPath (Join-Path $Root 'CryptSvc Doctor\csd.exe'))) {
        $Csd = Join-Path $Root 'CryptSvc Doctor\csd.exe'
        break
    }
}
if (-not $Csd) { Write-Output 'Not installed'; exit 9 }
$Line = & $Csd fix --yes --summary
$Code = $LASTEXITCODE
Write-Output $Line
exit $Code
