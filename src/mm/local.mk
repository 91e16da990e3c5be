# mm
