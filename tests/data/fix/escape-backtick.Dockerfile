# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS windows
FROM debian:12
RUN apt-get update && `
    apt-get install -y curl
RUN pip install flask
