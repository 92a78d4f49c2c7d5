"""API models of the catalogue: modules with their votes, a vote, the public roadmap."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from xentri.catalog.domain import ModuleStatus
from xentri.catalog.service import ModuleView, RoadmapGroup

CategoryId = Literal["strategy", "finance", "brand", "sales", "operations", "team", "legal"]


class LocalizedTextRead(BaseModel):
    en: str
    es: str


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    use_case: Annotated[
        str | None,
        Field(max_length=500, description='Optional: "What would you use this for?"'),
    ] = None


class ModuleRead(BaseModel):
    id: str = Field(examples=["finance.invoicing"])
    category: str
    subcategory: str
    name: LocalizedTextRead
    description: LocalizedTextRead
    icon: str = Field(description="A Lucide icon name.")
    sort_order: int
    status: ModuleStatus
    votes: int
    voted: bool = Field(description="Whether the signed-in user has voted for it.")
    use_case: str | None = Field(description="The signed-in user's use case, if they gave one.")

    @classmethod
    def of(cls, view: ModuleView) -> ModuleRead:
        return cls(
            id=view.id,
            category=view.category,
            subcategory=view.subcategory,
            name=LocalizedTextRead(**view.name),
            description=LocalizedTextRead(**view.description),
            icon=view.icon,
            sort_order=view.sort_order,
            status=view.status,
            votes=view.tally.votes,
            voted=view.voted,
            use_case=view.use_case,
        )


class RoadmapModuleRead(BaseModel):
    id: str
    category: str
    subcategory: str
    name: LocalizedTextRead
    description: LocalizedTextRead
    icon: str
    votes: int
    priority_score: int = Field(
        description="votes*1 + votes from paying orgs*5 + votes from orgs at risk of leaving*10"
    )


class RoadmapGroupRead(BaseModel):
    status: ModuleStatus
    module_count: int
    votes: int
    modules: list[RoadmapModuleRead]


class RoadmapRead(BaseModel):
    statuses: list[RoadmapGroupRead] = Field(
        description="Every status, in the order modules move through them."
    )

    @classmethod
    def of(cls, groups: list[RoadmapGroup]) -> RoadmapRead:
        return cls(
            statuses=[
                RoadmapGroupRead(
                    status=group.status,
                    module_count=len(group.modules),
                    votes=group.votes,
                    modules=[
                        RoadmapModuleRead(
                            id=view.id,
                            category=view.category,
                            subcategory=view.subcategory,
                            name=LocalizedTextRead(**view.name),
                            description=LocalizedTextRead(**view.description),
                            icon=view.icon,
                            votes=view.tally.votes,
                            priority_score=view.tally.priority_score,
                        )
                        for view in group.modules
                    ],
                )
                for group in groups
            ]
        )
