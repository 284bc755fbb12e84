# docs/fleet/Detect-CryptSvc.ps1: Intune Remediations detection script for CryptSvc Doctor.
# Intune runs the remediation only when this exits 1. csd exits 1 exactly when it found a
# problem or something a repair fixes; every other outcome (healthy, csd missing, computer
# errors) exits 0 here so the remediation never runs on a guess.
# Output: one line (csd --summary keeps it under 1000 characters; Intune keeps 2048), nothing on
# stderr (Intune counts stderr as a script error). Run as SYSTEM, 64-bit PowerShell: either works.
$ErrorActionPreference = 'Stop'
# Intune uploads only this script; it runs from a temporary folder, so the installed copy is used.
# 32-bit PowerShell on 64-bit Windows sees the x86 folder as ProgramFiles; ProgramW6432 is the real one.
$Csd = $null
foreach ($Root in @($env:ProgramW6432, $env:ProgramFiles)) {
    if ($Root -and (Test-Path -LiteralPath (Join-Path $Root 'CryptSvc Doctor\csd.exe'))) {
        $Csd = Join-Path $Root 'CryptSvc Doctor\csd.exe'
        break
    }
}
if (-not $Csd) {
    Write-Output 'CryptSvc Doctor is not installed (csd.exe not found); nothing checked.'
    exit 0
}
$Line = & $Csd check --summary
$Code = $LASTEXITCODE
Write-Output $Line
if ($Code -eq 1) { exit 1 }
exit 0
