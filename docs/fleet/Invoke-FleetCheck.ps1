# docs/fleet/Invoke-FleetCheck.ps1: diagnose many computers and collect csd's JSON into one CSV.
#
#   .\Invoke-FleetCheck.ps1 -ComputerName (Get-Content computers.txt) -OutFile fleet.csv
#   .\Invoke-FleetCheck.ps1 -ComputerName PC1,PC2 -Remote   # no remoting: csd here asks each SCM
#
# Default: PowerShell remoting (WinRM) runs csd.exe on every computer in parallel, so all checks
# run there, including the catalog database. With -Remote, csd.exe on this computer reads each
# one's Service Control Manager and ADMIN$ (what sc.exe \\NAME does): no WinRM needed, but the
# checks that need the computer's own files say "not checked".
param(
    [Parameter(Mandatory = $true)] [string[]] $ComputerName,
    [string] $OutFile = 'cryptsvc-fleet.csv',
    [switch] $Remote,
    [int] $ThrottleLimit = 32
)
$Csd = $null
foreach ($Root in @($env:ProgramW6432, $env:ProgramFiles)) {
    if ($Root -and (Test-Path -LiteralPath (Join-Path $Root 'CryptSvc Doctor\csd.exe'))) {
        $Csd = Join-Path $Root 'CryptSvc Doctor\csd.exe'
        break
    }
}
if (-not $Csd) { throw 'csd.exe not found: install CryptSvc Doctor on this computer first.' }

if ($Remote) {
    $Results = foreach ($Name in $ComputerName) {
        # Exit 6/7/8 (unreachable, access denied, no ADMIN$) still print a JSON document.
        $Json = & $Csd check --computer $Name --json --timeout 20
        $Json | ConvertFrom-Json
    }
} else {
    $Results = Invoke-Command -ComputerName $ComputerName -ThrottleLimit $ThrottleLimit -ErrorAction Continue -ScriptBlock {
        $Csd = Join-Path $env:ProgramW6432 'CryptSvc Doctor\csd.exe'
        $Json = & $Csd check --json
        $Json | ConvertFrom-Json
    }
}

$Results | ForEach-Object {
    $Service = $_.rows | Where-Object { $_.component -eq 'service' }
    $Catalog = $_.rows | Where-Object { $_.component -eq 'catalog_db' }
    [pscustomobject]@{
        Computer   = $_.computer
        Status     = $_.status
        ExitCode   = $_.exit_code
        Worst      = $_.worst
        Service    = $Service.current
        Catalog    = $Catalog.current
        Plan       = ($_.plan -join ' ')
        Summary    = $_.summary
        Connection = if ($_.connection) { $_.connection.message } else { '' }
    }
} | Export-Csv -NoTypeInformation -Encoding UTF8 -Path $OutFile
Write-Output "Wrote $OutFile"
