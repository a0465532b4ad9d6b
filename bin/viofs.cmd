@echo off
rem viofs launcher for Windows. Runs the command line from the jars in lib\ beside bin\ (in a source
rem checkout: installer\target\lib). Java: the bundled runtime\ first, then JAVA_HOME, then java.exe on
rem PATH; the first one that is Java 17 or newer runs it. None: one line, exit code 5.
rem Written without parenthesised blocks around paths: a ")" in a path such as
rem "C:\Program Files (x86)" would end such a block early. -Dviofs.home tells the Java side where
rem the installation is (bin\, lib\, runtime\).
setlocal EnableExtensions DisableDelayedExpansion
for %%I in ("%~dp0..") do set "VIOFS_HOME=%%~fI"
set "VIOFS_LIB=%VIOFS_HOME%\lib"
set "VIOFS_RUNTIME=%VIOFS_HOME%\runtime"
if exist "%VIOFS_LIB%\" goto :find_java
set "VIOFS_LIB=%VIOFS_HOME%\installer\target\lib"
set "VIOFS_RUNTIME=%VIOFS_HOME%\installer\target\runtime"

:find_java
set "VIOFS_JAVA="
rem the bundled runtime was made by jlink from the build's JDK (17 or newer): no version check
if exist "%VIOFS_RUNTIME%\bin\java.exe" set "VIOFS_JAVA=%VIOFS_RUNTIME%\bin\java.exe"
if defined VIOFS_JAVA goto :run
if defined JAVA_HOME call :try_java "%JAVA_HOME%\bin\java.exe"
if defined VIOFS_JAVA goto :run
for /f "delims=" %%J in ('where java.exe 2^>nul') do call :try_java "%%~J"
if defined VIOFS_JAVA goto :run
>&2 echo viofs: needs Java 17 or newer, found none in %VIOFS_RUNTIME%, JAVA_HOME or PATH: install one (e.g. Eclipse Temurin 17) and set JAVA_HOME
exit /b 5

:run
"%VIOFS_JAVA%" %VIOFS_JAVA_OPTS% -Dviofs.home="%VIOFS_HOME%" -cp "%VIOFS_LIB%\*" org.viofs.cli.ViofsCommand %*
exit /b %ERRORLEVEL%

:try_java
rem Sets VIOFS_JAVA to %1 if nothing was chosen yet, %1 exists and its java.specification.version is
rem 17 or newer ("1.8" for Java 8 reads as 1). The output goes through a file: a for /f command with
rem a quoted path that holds "(x86)" is cut by cmd's quote rules.
if defined VIOFS_JAVA exit /b 0
if not exist "%~1" exit /b 0
set "VIOFS_SPEC=0"
set "VIOFS_MAJOR=0"
set "VIOFS_PROBE=%TEMP%\viofs-java-%RANDOM%%RANDOM%.txt"
"%~1" -XshowSettings:properties -version >"%VIOFS_PROBE%" 2>&1
for /f "usebackq tokens=1,2 delims== " %%A in ("%VIOFS_PROBE%") do if "%%A"=="java.specification.version" set "VIOFS_SPEC=%%B"
del "%VIOFS_PROBE%" >nul 2>&1
for /f "tokens=1 delims=." %%M in ("%VIOFS_SPEC%") do set "VIOFS_MAJOR=%%M"
if %VIOFS_MAJOR% GEQ 17 set "VIOFS_JAVA=%~1"
exit /b 0
