@echo off
rem Windows launcher: runs the viofs command line from the jars beside this script (lib\*).
setlocal
set "VIOFS_HOME=%~dp0.."
if not exist "%VIOFS_HOME%\lib" set "VIOFS_LIB=%VIOFS_HOME%\installer\target\lib"
if exist "%VIOFS_HOME%\lib" set "VIOFS_LIB=%VIOFS_HOME%\lib"
java %VIOFS_JAVA_OPTS% -cp "%VIOFS_LIB%\*" org.viofs.cli.ViofsCommand %*
exit /b %ERRORLEVEL%
