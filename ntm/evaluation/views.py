from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/home.html", {})


def district(request: HttpRequest, key: str) -> HttpResponse:
    return render(request, "evaluation/district.html", {})


def commune(request: HttpRequest, key: str) -> HttpResponse:
    return render(request, "evaluation/commune.html", {})
