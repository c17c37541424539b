"""`ntm demo_code`: the current two-step code of each demo user who has the demo's published key
(ntm demo gives it to the administrator and the province offices). Devices with any other key are never shown."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.demo_users import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Mã đăng nhập hai bước hiện tại của người dùng mẫu / current two-step codes of the demo users."

    def handle(self, *args, **options):
        devices = TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, confirmed=True).select_related("user")
        if not devices:
            self.stdout.write("Chưa có người dùng mẫu nào dùng khóa mẫu (chạy `ntm demo`). / No demo device.")
            return
        for device in devices.order_by("user__username"):
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
            totp.time = time.time()
            left = device.step - int(totp.time - device.t0) % device.step
            self.stdout.write(f"{device.user.username}: {totp.token():0{device.digits}d} (còn / valid {left} s)")
