# docs/fleet/Remediate-CryptSvc.ps1: Intune Remediations remediation script for CryptSvc Doctor.
# Runs the repairs the diagnosis recommends, unattended (--yes), as SYSTEM. Every repair keeps a
# backup under %ProgramData%\CryptSvcDoctor\backups (csd list-backups; csd restore BACKUP).
# Exit code passed on: 0 repaired (or nothing to do), 1 repaired but a problem remains,
# 2 a repair failed (and was undone), 4 not elevated (run as SYSTEM), 5 another repair was running.
# No reboot here: Intune's rules forbid it; a repair that finishes at restart says so in the line.
$ErrorActionPreference = 'Stop'
$Csd = $null
foreach ($Root in @($env:ProgramW6432, $env:ProgramFiles)) {
    if ($Root -and (Test-Path -LiteralPath (Join-Path $Root 'CryptSvc Doctor\csd.exe'))) {
        $Csd = Join-Path $Root 'CryptSvc Doctor\csd.exe'
        break
    }
}
if (-not $Csd) {
    Write-Output 'CryptSvc Doctor is not installed (csd.exe not found); nothing repaired.'
    exit 9
}
$Line = & $Csd fix --yes --summary
$Code = $LASTEXITCODE
Write-Output $Line
exit $Code
