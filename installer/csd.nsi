; installer/csd.nsi: the per-machine NSIS installer of CryptSvc Doctor (built by installer/CMakeLists.txt).
;
; makensis -DVERSION=0.1.0 -DARCH=x64|x86 -DGUI_EXE=path -DCLI_EXE=path -DICON=path -DOUTFILE=path csd.nsi
;
; Installer switches: /S silent, /D=DIR install folder (last on the command line, no quotes).
; Uninstaller switches: /S silent, /PURGE also delete %ProgramData%\CryptSvcDoctor (backups, logs).
; Exit codes: 0 done, 1 cancelled by the user, 2 aborted by the script; a refusal returns the
; Windows error that says why: 1150 Windows older than 7 SP1, 216 x86 setup on 64-bit Windows,
; 1638 the MSI is installed, 32 the installed program is running.

!ifndef VERSION | ARCH | GUI_EXE | CLI_EXE | ICON | OUTFILE
  !error "pass -DVERSION -DARCH -DGUI_EXE -DCLI_EXE -DICON -DOUTFILE (installer/CMakeLists.txt does)"
!endif

; The x64 build gets a 64-bit installer: no WOW64 file or registry redirection to get wrong,
; and it cannot start at all on 32-bit Windows, where the x64 program could not run either.
!if ${ARCH} == x64
  Target amd64-unicode
!else if ${ARCH} == x86
  Target x86-unicode
!else
  !error "ARCH must be x64 or x86"
!endif

SetCompressor /SOLID lzma
ManifestDPIAware true
RequestExecutionLevel admin

!define PRODUCT "CryptSvc Doctor"
!define PUBLISHER "CryptSvc Doctor project"
; One key for every version: an upgrade rewrites it instead of adding a second entry.
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CryptSvcDoctor"
; The MSI's UpgradeCode {79072C56-9E50-423E-8595-9A58CC465A50} (installer/csd.wxs) in the packed
; form Windows Installer uses under Classes\Installer\UpgradeCodes: we refuse to install over the MSI.
!define MSI_UPGRADE_KEY "Software\Classes\Installer\UpgradeCodes\65C2709705E9E3245859A985CC64A505"
; Repair backups and logs (core writes them); kept on uninstall unless /PURGE or the checkbox.
!define DATA_DIR_NAME "CryptSvcDoctor"
; Windows errors used as exit codes of a refusal.
!define ERROR_OLD_WIN_VERSION 1150
!define ERROR_EXE_MACHINE_TYPE_MISMATCH 216
!define ERROR_PRODUCT_VERSION 1638
!define ERROR_SHARING_VIOLATION 32
!define FILE_ATTRIBUTE_REPARSE_POINT 0x400

Name "${PRODUCT}"
OutFile "${OUTFILE}"
Icon "${ICON}"
UninstallIcon "${ICON}"
!if ${ARCH} == x64
  InstallDir "$PROGRAMFILES64\${PRODUCT}"
!else
  InstallDir "$PROGRAMFILES32\${PRODUCT}"
!endif
ShowInstDetails show
ShowUninstDetails show
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!include LogicLib.nsh
!include WinVer.nsh
!include x64.nsh
!include FileFunc.nsh
!include MUI2.nsh

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\csd-gui.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${PRODUCT}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!define MUI_COMPONENTSPAGE_TEXT_TOP "The repair backups and logs in $APPDATA\${DATA_DIR_NAME} are kept unless you tick the box below."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; Per-machine: shortcuts for all users, $APPDATA = ProgramData, 64-bit registry for x64.
!macro csd_machine_context
  SetShellVarContext all
  !if ${ARCH} == x64
    SetRegView 64
  !endif
!macroend

; Refuses what the program does not support: older than Windows 7 SP1 (build 7601), and the
; x86 build on 64-bit Windows, where WOW64 would show it SysWOW64 instead of System32\catroot2.
!macro csd_refuse_unsupported
  ${IfNot} ${AtLeastWin7}
  ${OrIf} ${AtMostBuild} 7600
    MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs Windows 7 with Service Pack 1 or a later Windows." /SD IDOK
    SetErrorLevel ${ERROR_OLD_WIN_VERSION}
    Quit
  ${EndIf}
  ${If} ${IsWin7}
  ${OrIf} ${IsWin2008R2}
    ${If} ${AtMostServicePack} 0
      MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs Service Pack 1 for Windows 7." /SD IDOK
      SetErrorLevel ${ERROR_OLD_WIN_VERSION}
      Quit
    ${EndIf}
  ${EndIf}
  !if ${ARCH} == x86
    ${If} ${RunningX64}
      MessageBox MB_OK|MB_ICONSTOP "This is the 32-bit ${PRODUCT}. On 64-bit Windows, use the x64 setup." /SD IDOK
      SetErrorLevel ${ERROR_EXE_MACHINE_TYPE_MISMATCH}
      Quit
    ${EndIf}
  !endif
!macroend

; Refuses while the installed program runs: a running exe cannot be opened for writing. Without
; this the files would be replaced or deleted only at the next restart, and a delete scheduled
; for the restart would then remove the files of the version installed after it.
!macro csd_refuse_in_use DIR
  ${If} ${FileExists} "${DIR}\csd-gui.exe"
    ClearErrors
    FileOpen $0 "${DIR}\csd-gui.exe" a
    ${If} ${Errors}
      MessageBox MB_OK|MB_ICONSTOP "CryptSvc Doctor is running. Close it, then run this again." /SD IDOK
      SetErrorLevel ${ERROR_SHARING_VIOLATION}
      Quit
    ${EndIf}
    FileClose $0
  ${EndIf}
!macroend

Var old_uninstaller
Var old_dir

Function .onInit
  !insertmacro csd_machine_context
  !insertmacro csd_refuse_unsupported
  ReadRegStr $0 HKLM "${MSI_UPGRADE_KEY}" ""
  ${If} ${Errors}
    ; ReadRegStr sets the error flag also for a key that exists with no default value.
    ClearErrors
    EnumRegValue $0 HKLM "${MSI_UPGRADE_KEY}" 0
  ${EndIf}
  ${IfNot} ${Errors}
    MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} is installed from its MSI package (Group Policy or Intune). Remove that first, or keep using the MSI." /SD IDOK
    SetErrorLevel ${ERROR_PRODUCT_VERSION}
    Quit
  ${EndIf}
  ClearErrors
  ; An earlier version: install into its folder and remove it first (see the upgrade section).
  ReadRegStr $old_uninstaller HKLM "${UNINST_KEY}" "UninstallString"
  ReadRegStr $old_dir HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $old_dir != ""
  ${AndIf} ${FileExists} "$old_dir\*.*"
    StrCpy $INSTDIR $old_dir
    !insertmacro csd_refuse_in_use "$old_dir"
  ${EndIf}
FunctionEnd

; Runs the installed uninstaller silently and in place (_?= makes it run from its folder and
; wait), so its files, shortcut and entry go before the new ones are written: one entry, and
; nothing of the old version left behind that the new uninstaller would not know about.
Section "-Remove the earlier version"
  ${If} $old_uninstaller != ""
  ${AndIf} $old_dir != ""
  ${AndIf} ${FileExists} "$old_dir\uninstall.exe"
    DetailPrint "Removing the installed version from $old_dir"
    ExecWait '"$old_dir\uninstall.exe" /S _?=$old_dir' $0
    ${If} $0 != 0
      DetailPrint "The earlier uninstaller returned $0; installing over it."
    ${EndIf}
    ; With _?= the old uninstaller cannot delete itself.
    Delete "$old_dir\uninstall.exe"
    RMDir "$old_dir"
  ${EndIf}
SectionEnd

Section "-Program"
  SetOutPath "$INSTDIR"
  File "/oname=csd-gui.exe" "${GUI_EXE}"
  File "/oname=csd.exe" "${CLI_EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  SetOutPath "$INSTDIR"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\csd-gui.exe" "" "$INSTDIR\csd-gui.exe" 0 \
    SW_SHOWNORMAL "" "Diagnose and repair Cryptographic Services"

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\csd-gui.exe,0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

; The uninstaller removes the files it knows by name and the folder only if it is then empty,
; so a folder the user chose that holds other files keeps them. No /REBOOTOK: when the setup runs
; it in place for an upgrade, uninstall.exe is running and a delete scheduled for the restart
; would remove the new version's uninstaller.
Section "un.${PRODUCT}" sec_un_program
  SectionIn RO
  Delete "$INSTDIR\csd-gui.exe"
  Delete "$INSTDIR\csd.exe"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  DeleteRegKey HKLM "${UNINST_KEY}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd

; Deletes folder $R0 and everything in it, but never enters a junction or symbolic link: NSIS's
; own RMDir /r follows them (it recurses into every directory), and a backup folder may hold one
; that points at system files. A link is deleted itself, or left if Windows refuses.
Function un.csd_purge
  Push $R1
  Push $R2
  Push $R3
  System::Call 'kernel32::GetFileAttributesW(w R0) i .R3'
  ${If} $R3 = -1
    ; Gone already, or unreadable: nothing to do.
  ${ElseIf} $R3 & ${FILE_ATTRIBUTE_REPARSE_POINT}
    RMDir "$R0"
    Delete "$R0"
  ${Else}
    ClearErrors
    FindFirst $R1 $R2 "$R0\*.*"
    ${IfNot} ${Errors}
      ${Do}
        ${If} $R2 != "."
        ${AndIf} $R2 != ".."
          ${If} ${FileExists} "$R0\$R2\*.*"
            Push $R0
            StrCpy $R0 "$R0\$R2"
            Call un.csd_purge
            Pop $R0
          ${Else}
            Delete "$R0\$R2"
          ${EndIf}
        ${EndIf}
        ClearErrors
        FindNext $R1 $R2
      ${LoopUntil} ${Errors}
      FindClose $R1
    ${EndIf}
    RMDir "$R0"
  ${EndIf}
  Pop $R3
  Pop $R2
  Pop $R1
FunctionEnd

Section /o "un.Repair backups and logs" sec_un_purge
  Push $R0
  StrCpy $R0 "$APPDATA\${DATA_DIR_NAME}"
  Call un.csd_purge
  Pop $R0
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${sec_un_program} "The program, its Start menu shortcut and its entry in Programs and Features."
  !insertmacro MUI_DESCRIPTION_TEXT ${sec_un_purge} "Also delete the backups of repaired files and the repair logs in $APPDATA\${DATA_DIR_NAME}."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.onInit
  !insertmacro csd_machine_context
  !insertmacro csd_refuse_in_use "$INSTDIR"
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/PURGE" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${sec_un_purge}
  ${EndIf}
FunctionEnd
