-- The name of the 政府信息公开工作机构 (disclosure office) of an organ, shown in its 指南 (条例第十二条).
ALTER TABLE organs ADD COLUMN office_name TEXT NULL;
