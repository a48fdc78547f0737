"""Trained models (`make model` writes them here), installed as the package data of `vanthu.models`."""
