# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Invoke-WebRequest -Uri https://example.com/tool.zip `
      -OutFile C:\tool.zip ; `
    Expand-Archive C:\tool.zip -DestinationPath C:\tool
COPY app\ C:\app\
WORKDIR C:\app
CMD ["C:\\app\\run.exe"]
