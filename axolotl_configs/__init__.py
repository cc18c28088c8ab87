"""Axolotl config templates, shipped as package data for `selfware-git axolotl-config`."""
