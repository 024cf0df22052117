# B508: SNMP v1/v2c (mpModel 0 or 1) in pysnmp.hlapi.CommunityData.
from pysnmp.hlapi import CommunityData

CommunityData("public", mpModel=0)
CommunityData("public", mpModel=1)
CommunityData("public", mpModel=2)      # fine: only 0 and 1 are v1/v2c
CommunityData("public")                 # no keyword: not flagged
CommunityData("public", mpModel=False)  # False reads as the string "False": not 0
CommunityData("public", mpModel=0)  # nosec
