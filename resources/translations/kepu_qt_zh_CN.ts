<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>QFileDialog</name>
<message><source>&amp;Look in:</source><translation>查找范围(&amp;L)：</translation></message>
<message><source>Files of &amp;type:</source><translation>文件类型(&amp;T)：</translation></message>
<message><source>Cancel</source><translation>取消</translation></message>
<message><source>&amp;Choose</source><translation>选择(&amp;C)</translation></message>
<message><source>&amp;Save</source><translation>保存(&amp;S)</translation></message>
<message><source>&amp;Open</source><translation>打开(&amp;O)</translation></message>
<message><source>Directory:</source><translation>文件夹：</translation></message>
<message><source>Directories</source><translation>文件夹</translation></message>
</context>
<context><name>QFileSystemModel</name>
<message><source>Size</source><translation>大小</translation></message>
<message><source>Date Modified</source><translation>修改日期</translation></message>
<message><source>Kind</source><translation>类型</translation></message>
<message><source>Type</source><translation>类型</translation></message>
</context>
</TS>
