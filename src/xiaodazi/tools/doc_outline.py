"""The structured outline the document tools take: blocks (headings, text, lists, tables, images, charts).

These pydantic models are the tools' parameter types, so the model sees their JSON schema and a
wrong outline comes back as a readable retry message before anything is written.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

Cell = str | int | float | bool | None


class Heading(BaseModel):
    """A heading; level 1 is the largest."""

    type: Literal["heading"]
    text: str
    level: int = Field(1, ge=1, le=6)


class Paragraph(BaseModel):
    """A paragraph of text."""

    type: Literal["paragraph"]
    text: str


class ListBlock(BaseModel):
    """A bullet list, or a numbered one when `ordered`."""

    type: Literal["list"]
    items: list[str]
    ordered: bool = False


class Table(BaseModel):
    """A table with an optional header row."""

    type: Literal["table"]
    header: list[str] = Field(default_factory=list)
    rows: list[list[Cell]]


class Image(BaseModel):
    """A picture from the workspace (PNG/JPEG), with an optional caption."""

    type: Literal["image"]
    path: str = Field(description="image file, relative to the workspace")
    caption: str = ""


class Series(BaseModel):
    """One data series of a chart: a value per label."""

    name: str = ""
    values: list[float]


class Chart(BaseModel):
    """A simple bar, line or pie chart drawn from data (rendered as a picture)."""

    type: Literal["chart"]
    kind: Literal["bar", "line", "pie"] = "bar"
    title: str = ""
    labels: list[str]
    series: list[Series] = Field(min_length=1)
    x_label: str = ""
    y_label: str = ""

    @model_validator(mode="after")
    def _shape(self) -> Chart:
        for s in self.series:
            if len(s.values) != len(self.labels):
                raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(self.labels)} labels")
        if self.kind == "pie" and (len(self.series) != 1 or any(v < 0 for v in self.series[0].values)):
            raise ValueError("a pie chart takes exactly one series of non-negative values")
        return self


# A plain union (each member has a literal `type`): a pydantic discriminator would put an
# OpenAPI-only `discriminator` keyword with dangling $refs into the tool schema.
Block = Heading | Paragraph | ListBlock | Table | Image | Chart


class Outline(BaseModel):
    """A document: an optional title, then blocks in reading order."""

    title: str = ""
    blocks: list[Block] = Field(default_factory=list)


class Sheet(BaseModel):
    """A worksheet: a header row, data rows (strings starting with '=' are formulas) and charts."""

    name: str = Field(min_length=1)
    header: list[str] = Field(default_factory=list)
    rows: list[list[Cell]] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)


class Slide(BaseModel):
    """A slide: a title, optional bullets and blocks (text left, table/image/chart right), speaker notes."""

    title: str = ""
    subtitle: str = ""
    bullets: list[str] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    notes: str = ""
