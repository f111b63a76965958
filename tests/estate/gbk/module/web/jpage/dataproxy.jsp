<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>6</totalrecord>
<totalpage>1</totalpage>
<recordset>
<record><![CDATA[<li><a href='/art/2026/11/20/art_101_5001.html' title='关于做好2026年下半年中小学教师资格认定工作的通知' target='_blank'>关于做好2026年下半年中小学教师资格认定工作的通知</a><span>2026-11-20</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/11/18/art_101_5002.html' title='关于公布2026年度县级优秀班主任评选结果的通知' target='_blank'>关于公布2026年度县级优秀班主任评选结果的通知</a><span>2026-11-18</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/11/16/art_101_5003.html' title='关于开展中小学校园安全隐患排查整治的通知' target='_blank'>关于开展中小学校园安全隐患排查整治的通知</a><span>2026-11-16</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/11/12/art_101_5004.html' title='关于2026年秋季学期学生资助资金发放情况的公示' target='_blank'>关于2026年秋季学期学生资助资金发放情况的公示</a><span>2026-11-12</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/11/6/art_101_5005.html' title='关于做好2026年冬季学校安全工作的通知' target='_blank'>关于做好2026年冬季学校安全工作的通知</a><span>2026-11-06</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/10/30/art_101_5006.html' title='关于印发《某某县教育系统2026年工作要点》的通知' target='_blank'>关于印发《某某县教育系统2026年工作要点》的通知</a><span>2026-10-30</span></li>]]></record>
</recordset>
</datastore>
