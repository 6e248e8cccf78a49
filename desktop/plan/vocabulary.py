"""The plan's vocabulary: every coded value, the Chinese label a user sees for it.

Files, dialogs, the workbook and the messages all name a kind, role, measure
or metric the same way because they all read these tables.
"""

from __future__ import annotations

LEVEL_LABELS = {"county": "县级", "city": "市级"}
KIND_LABELS = {"action": "提升行动", "project": "重点工程"}
ROLE_LABELS = {"lead": "牵头", "cooperating": "配合"}
MEASURE_LABELS = {"count": "累计数", "level": "存量", "percent": "比率"}
TARGET_MODE_LABELS = {
    "period": "规划期累计",
    "annual": "每年",
    "per_year": "分年度",
    "end": "期末达到",
}
COMPARATOR_LABELS = {">=": "不少于(≥)", "<=": "不超过(≤)"}
SOURCE_LABELS = {"manual": "手工填报", "derived": "台账统计"}
METRIC_LABELS = {
    "activities": "活动次数",
    "sessions": "场次",
    "participants": "参加人次",
    "volunteers": "志愿者人次",
    "volunteer_hours": "志愿服务时长",
    "funding": "经费",
    "registered_volunteers": "注册志愿者人数",
}

TARGET_GROUPS = [
    "青少年",
    "农民",
    "产业工人",
    "城镇劳动者",
    "老年人",
    "领导干部和公务员",
    "社区居民",
    "社会公众",
]

# code, name, counts that apply (科普统计 categories)
ACTIVITY_TYPES: list[tuple[str, str, list[str]]] = [
    ("lecture", "科普讲座", ["sessions", "participants"]),
    ("exhibition", "科普展览", ["sessions", "participants"]),
    ("contest", "科普竞赛", ["sessions", "participants"]),
    ("training", "实用技术培训", ["sessions", "participants"]),
    ("sci_week", "科技活动周", ["participants", "volunteers"]),
    ("sci_day", "全国科普日", ["participants", "volunteers"]),
    ("three_rural", "文化科技卫生“三下乡”", ["participants", "volunteers"]),
    ("youth", "青少年科技活动", ["sessions", "participants"]),
    ("emergency", "应急科普/演练", ["sessions", "participants"]),
    ("study_tour", "研学实践", ["sessions", "participants"]),
    ("volunteer", "科技志愿服务", ["participants", "volunteers"]),
    ("other", "其他", ["sessions", "participants"]),
]

FIELD_LABELS = {
    "id": "方案编号",
    "region": "地区",
    "level": "层级",
    "name": "名称",
    "first_year": "起始年份",
    "last_year": "结束年份",
    "doc_number": "文号",
    "issue_date": "印发日期",
    "literacy_baseline": "科学素质基线",
    "literacy_baseline_year": "基线年份",
    "literacy_target": "科学素质目标",
    "aliases": "别名",
    "code": "编号",
    "kind": "类别",
    "title": "标题",
    "target_group": "重点人群",
    "number": "序号",
    "text": "全文",
    "role": "角色",
    "unit": "计量单位",
    "measure": "计量方式",
    "task": "所属任务",
    "target_mode": "目标类型",
    "target": "目标值",
    "targets_by_year": "分年度目标",
    "comparator": "比较",
    "baseline": "基线值",
    "baseline_year": "基线年份",
    "source": "数据来源",
    "rule": "统计口径",
    "metric": "统计口径",
    "activity_types": "活动类型",
    "target_groups": "重点人群",
    "tasks": "限定任务",
    "units": "限定单位",
    "quote": "原文",
    "numerator": "分子指标",
    "denominator": "分母指标",
}

RATIO_KEYS = ("numerator", "denominator")
