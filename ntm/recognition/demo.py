"""Demo dossiers: the 4 pilot communes of Tân Trụ preparing their NTMNC 2024 dossiers (the district
asked for complete dossiers in June 2024), each at drafting with some documents still missing."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ntm.units.models import Unit

from .models import Dossier, DossierDocument, DossierEvent, Level, Step

# commune key → (satisfaction rate, document kinds already uploaded). Illustrative, not real figures.
PILOTS = {
    "c28084": (Decimal("92.5"), ["commune-report", "commune-request", "satisfaction-survey"]),  # Quê Mỹ Thạnh
    "c28096": (Decimal("94.0"), ["commune-report", "commune-request", "commune-meeting-minutes"]),  # Bình Lãng
    "c28090": (None, ["commune-report"]),  # Bình Trinh Đông
    "c28099": (Decimal("87.0"), ["commune-report", "satisfaction-survey"]),  # Bình Tịnh
}

# A minimal valid PDF: the demo's stand-in for each document.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


@transaction.atomic
def create_demo_dossiers() -> int:
    """Create (or reset) a drafting NTMNC 2024 dossier for each pilot commune; idempotent."""
    communes = {u.key: u for u in Unit.objects.filter(key__in=PILOTS)}
    for key, (rate, uploaded) in PILOTS.items():
        commune = communes.get(key)
        if commune is None:
            continue
        for old in DossierDocument.objects.filter(dossier__commune=commune, dossier__is_demo=True):
            old.file.delete(save=False)
        Dossier.objects.filter(commune=commune, level=Level.NTMNC, year=2024, is_demo=True).delete()
        dossier = Dossier.objects.create(commune=commune, level=Level.NTMNC, year=2024, step=Step.DRAFTING,
                                         satisfaction_rate=rate, security_ok=True, is_demo=True)
        DossierEvent.objects.create(dossier=dossier, from_step="", to_step=Step.DRAFTING,
                                    comment="Hồ sơ mẫu (demo)", at=timezone.now())
        for kind in uploaded:
            doc = DossierDocument(dossier=dossier, kind=kind, original_name=f"{kind}-demo.pdf",
                                  content_type="application/pdf", size=len(DEMO_PDF),
                                  uploaded_at=timezone.now(), is_demo=True)
            doc.file.save("demo.pdf", ContentFile(DEMO_PDF), save=False)
            doc.save()
    return len(communes)
