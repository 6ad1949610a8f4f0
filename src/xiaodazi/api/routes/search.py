"""Full-text search over all conversations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from xiaodazi.api.deps import StoreDep
from xiaodazi.api.schemas import SearchHitPublic, SearchHitsPublic

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchHitsPublic)
def search_messages(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
):
    """Messages containing every whitespace-separated term of `q` (Chinese substrings included)."""
    hits = store.search(q, limit=limit)
    items = [
        SearchHitPublic(
            conversation_id=hit.conversation_id,
            conversation_title=hit.conversation_title,
            message_id=hit.message_id,
            role=hit.role,
            snippet=snippet,
        )
        for hit, snippet in hits
    ]
    return SearchHitsPublic(query=q, items=items)
