# docs/fleet/ConfigMgr-Discovery.ps1: ConfigMgr configuration item, discovery script (data type String).
# Compliance rule: the value equals "Compliant". Anything else is shown in the compliance report;
# "Non-Compliant: <csd's summary line>" says what was found.
$Csd = $null
foreach ($Root in @($env:ProgramW6432, $env:ProgramFiles)) {
    if ($Root -and (Test-Path -LiteralPath (Join-Path $Root 'CryptSvc Doctor\csd.exe'))) {
        $Csd = Join-Path $Root 'CryptSvc Doctor\csd.exe'
        break
    }
}
if (-not $Csd) { Write-Output 'Not installed'; exit 0 }
$Line = & $Csd check --summary
if ($LASTEXITCODE -eq 0) { Write-Output 'Compliant' }
elseif ($LASTEXITCODE -eq 1) { Write-Output "Non-Compliant: $Line" }
else { Write-Output "Error: $Line" }
