<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="48"/>
        <source>Could not open {file}: the file is empty.</source>
        <translation>无法打开 {file}：文件是空的。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="51"/>
        <source>Could not open {file}: it was saved by a newer version of Batch Size Lab. Update the app to open it.</source>
        <translation>无法打开 {file}：它由更新版本的批大小实验室保存。请更新本程序后再打开。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="55"/>
        <source>Could not save to {file}: it is a folder.</source>
        <translation>无法保存到 {file}：这是一个文件夹。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="57"/>
        <source>Could not save {file}; nothing was changed ({detail}).</source>
        <translation>无法保存 {file}；没有改动任何文件（{detail}）。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="58"/>
        <source>Could not open {file}: it is not a usable scenario file ({detail}).</source>
        <translation>无法打开 {file}：它不是可用的场景文件（{detail}）。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="71"/>
        <source>Saved {file}.</source>
        <translation>已保存 {file}。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="83"/>
        <source>Opened {file}.</source>
        <translation>已打开 {file}。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="93"/>
        <source>Save scenario</source>
        <translation>保存场景</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="93"/>
        <location filename="../../gui/files/scenario_files.py" line="99"/>
        <source>Scenarios (*.json)</source>
        <translation>场景文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_files.py" line="99"/>
        <source>Open scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <location filename="../../gui/files/export.py" line="138"/>
        <source>Still exporting to {folder}: try again once it is written.</source>
        <translation>仍在导出到 {folder}：写完后再试一次。</translation>
    </message>
    <message>
        <location filename="../../gui/files/export.py" line="148"/>
        <source>Could not export to {folder}: {reason}.</source>
        <translation>无法导出到 {folder}：{reason}。</translation>
    </message>
    <message>
        <location filename="../../gui/files/export.py" line="166"/>
        <source>Exporting to {folder}…</source>
        <translation>正在导出到 {folder}…</translation>
    </message>
    <message>
        <location filename="../../gui/files/export.py" line="176"/>
        <source>the experiment changed while it was being exported</source>
        <translation>导出过程中实验已改变</translation>
    </message>
    <message>
        <location filename="../../gui/files/export.py" line="238"/>
        <source>Could not export to {folder}; nothing was changed ({reason}).</source>
        <translation>无法导出到 {folder}；没有改动任何文件（{reason}）。</translation>
    </message>
    <message>
        <location filename="../../gui/files/export.py" line="217"/>
        <source>Exported {files} to {folder}.</source>
        <translation>已将 {files} 导出到 {folder}。</translation>
    </message>
    <message>
        <location filename="../../gui/window/file_commands.py" line="61"/>
        <source>Nothing to link to yet: the lesson is still being prepared.</source>
        <translation>还没有可链接的实验：课程仍在准备中。</translation>
    </message>
    <message>
        <location filename="../../gui/window/file_commands.py" line="99"/>
        <source>Nothing to export yet: the lesson is still being prepared.</source>
        <translation>还没有可导出的内容：课程仍在准备中。</translation>
    </message>
    <message>
        <location filename="../../gui/files/export.py" line="261"/>
        <source>Export to a new folder</source>
        <translation>导出到一个新文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/help_dialogs.py" line="39"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/help_dialogs.py" line="57"/>
        <source>Keys act anywhere in the window except while you type in a field (Enter or Esc ends it).</source>
        <translation>除正在输入框中输入时（按 Enter 或 Esc 结束输入）外，这些按键在窗口任何位置都有效。</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/help_dialogs.py" line="87"/>
        <source>Device: {device}</source>
        <translation>设备：{device}</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/help_dialogs.py" line="87"/>
        <source>not chosen yet</source>
        <translation>尚未选定</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/help_dialogs.py" line="95"/>
        <source>Chinese font: WenQuanYi Micro Hei (the WenQuanYi Project), Apache License 2.0</source>
        <translation>中文字体：文泉驿微米黑（文泉驿项目），Apache License 2.0</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/help_dialogs.py" line="97"/>
        <source>What the batch size does to training, seen as it happens.</source>
        <translation>亲眼看到批大小如何影响训练。</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/help_dialogs.py" line="98"/>
        <source>Data and fonts</source>
        <translation>数据与字体</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/help_dialogs.py" line="109"/>
        <source>About Batch Size Lab</source>
        <translation>关于 Batch Size Lab</translation>
    </message>
    <message>
        <location filename="../../gui/files/lesson_code.py" line="31"/>
        <source>This experiment cannot be written as a script yet: the export covers the line problems (linear regression, logistic regression, two lines), not networks or Hinton&apos;s example.</source>
        <translation>这个实验暂时无法导出为脚本：导出只支持直线问题（线性回归、逻辑回归、两条直线），不支持神经网络和 Hinton 的例子。</translation>
    </message>
    <message>
        <location filename="../../gui/files/lesson_code.py" line="44"/>
        <source>Could not write {file}; nothing was changed ({detail}).</source>
        <translation>无法写入 {file}，未做任何更改（{detail}）。</translation>
    </message>
    <message>
        <location filename="../../gui/files/lesson_code.py" line="48"/>
        <source>Wrote {file}: run it with python {file}</source>
        <translation>已写入 {file}：用 python {file} 运行</translation>
    </message>
    <message>
        <location filename="../../gui/files/lesson_code.py" line="56"/>
        <source>Lesson as PyTorch script</source>
        <translation>将课程导出为 PyTorch 脚本</translation>
    </message>
    <message>
        <location filename="../../gui/files/lesson_code.py" line="58"/>
        <source>Python scripts (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <location filename="../../gui/views/timeline.py" line="64"/>
        <source>iteration {i} of {n}</source>
        <translation>第 {i} 次迭代，共 {n} 次</translation>
    </message>
    <message>
        <location filename="../../gui/views/timeline.py" line="65"/>
        <source>Live: {where}</source>
        <translation>实时：{where}</translation>
    </message>
    <message>
        <location filename="../../gui/views/timeline.py" line="65"/>
        <source>REPLAY: {where}</source>
        <translation>回放：{where}</translation>
    </message>
    <message>
        <location filename="../../gui/views/batch_strip.py" line="170"/>
        <source>Each cell is a sample: white not yet seen this epoch, pale seen once, dark seen again, outlined the last batch.</source>
        <translation>每个格子是一个样本：白色为本轮次尚未见过，浅色见过一次，深色见过多次，带黑框的是上一批。</translation>
    </message>
    <message>
        <location filename="../../gui/window/lessons.py" line="116"/>
        <source>  Lesson: </source>
        <translation>  课程：</translation>
    </message>
    <message>
        <location filename="../../gui/window/lessons.py" line="119"/>
        <source>File: {name}</source>
        <translation>文件：{name}</translation>
    </message>
    <message>
        <location filename="../../gui/window/lessons.py" line="122"/>
        <source>Link: {title}</source>
        <translation>链接：{title}</translation>
    </message>
    <message>
        <location filename="../../gui/window/session_views.py" line="143"/>
        <source>The gradient noise could not be measured at this point.</source>
        <translation>无法在这一点测量梯度噪声。</translation>
    </message>
    <message>
        <location filename="../../gui/window/session_views.py" line="153"/>
        <source>at the start {where}</source>
        <translation>在起点 {where}</translation>
    </message>
    <message>
        <location filename="../../gui/window/session_views.py" line="154"/>
        <source>where {run} is after {i} iterations, {where}</source>
        <translation>{run} 在 {i} 次迭代之后所在的位置 {where}</translation>
    </message>
    <message>
        <location filename="../../gui/window/plots_area.py" line="131"/>
        <source>Gradient noise</source>
        <translation>梯度噪声</translation>
    </message>
    <message>
        <location filename="../../gui/window/plots_area.py" line="132"/>
        <source>Predictions</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../gui/window/plots_area.py" line="133"/>
        <source>Batch-size sweep</source>
        <translation>批大小扫描</translation>
    </message>
    <message>
        <location filename="../../gui/window/plots_area.py" line="134"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/window/plots_area.py" line="135"/>
        <source>Landscape</source>
        <translation>损失地形</translation>
    </message>
    <message>
        <location filename="../../gui/window/plots_area.py" line="161"/>
        <source>The weight {name}</source>
        <translation>权重 {name}</translation>
    </message>
    <message>
        <location filename="../../gui/window/plots_area.py" line="161"/>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/window/plots_area.py" line="173"/>
        <source>Download {name} now</source>
        <translation>立即下载 {name}</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="50"/>
        <source>about {n} min left</source>
        <translation>约剩 {n} 分钟</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="52"/>
        <source>about {n} h left</source>
        <translation>约剩 {n} 小时</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="60"/>
        <source>CPU, 1 thread</source>
        <translation>CPU，1 个线程</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="60"/>
        <source>CPU, {n} threads</source>
        <translation>CPU，{n} 个线程</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="62"/>
        <source>GPU (CUDA): {name}</source>
        <translation>GPU（CUDA）：{name}</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="88"/>
        <source>{rate} steps/s</source>
        <translation>{rate} 步/秒</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="91"/>
        <source>{rate} samples/s</source>
        <translation>{rate} 样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/speed_box.py" line="66"/>
        <source>(does {n})</source>
        <translation>（实际 {n}）</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/speed_box.py" line="67"/>
        <source>This machine keeps fewer iterations per second than chosen</source>
        <translation>这台机器每秒实际完成的迭代次数少于所选的速度</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/speed_box.py" line="72"/>
        <source>  Speed: </source>
        <translation>  速度：</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/speed_box.py" line="74"/>
        <source>Iterations per second of the run with the most iterations per epoch</source>
        <translation>每轮次迭代次数最多的那次训练每秒的迭代次数</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/speed_box.py" line="78"/>
        <source>full speed</source>
        <translation>全速</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/speed_box.py" line="78"/>
        <source>{n} it/s</source>
        <translation>{n} 次迭代/秒</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="77"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="79"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="80"/>
        <source>{n:.1f} h</source>
        <translation>{n:.1f} 小时</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_links.py" line="18"/>
        <source>Could not open a link: the clipboard holds no link to a Batch Size Lab experiment (one starts with batchsizelab:).</source>
        <translation>无法打开链接：剪贴板里没有批大小实验室的实验链接（链接以 batchsizelab: 开头）。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_links.py" line="23"/>
        <source>Could not open the link: it is damaged (cut short, or changed as it was copied). Copy the whole link again.</source>
        <translation>无法打开链接：链接已损坏（被截断，或在复制时被改动）。请重新复制完整的链接。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_links.py" line="27"/>
        <source>Could not open the link: it unpacks to far more than any experiment holds.</source>
        <translation>无法打开链接：它解压后远大于任何实验的内容。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_links.py" line="30"/>
        <source>Could not open the link: it was made by a newer version of Batch Size Lab. Update the app to open it.</source>
        <translation>无法打开链接：它由更新版本的批大小实验室生成。请更新本程序后再打开。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_links.py" line="33"/>
        <source>Could not open the link: it holds an experiment this app cannot run ({detail}).</source>
        <translation>无法打开链接：其中的实验本程序无法运行（{detail}）。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_links.py" line="43"/>
        <source>Copied a link to this experiment to the clipboard ({count} characters).</source>
        <translation>已将本实验的链接复制到剪贴板（{count} 个字符）。</translation>
    </message>
    <message>
        <location filename="../../gui/files/scenario_links.py" line="62"/>
        <source>Opened the experiment from the link.</source>
        <translation>已从链接打开实验。</translation>
    </message>
</context>
<context>
    <name>AccuracyView</name>
    <message>
        <location filename="../../gui/views/accuracy_view.py" line="53"/>
        <source>Accuracy during training</source>
        <translation>训练过程中的准确率</translation>
    </message>
    <message>
        <location filename="../../gui/views/accuracy_view.py" line="54"/>
        <source>accuracy (% of images right)</source>
        <translation>准确率（认对图像的百分比）</translation>
    </message>
    <message>
        <location filename="../../gui/views/accuracy_view.py" line="59"/>
        <location filename="../../gui/views/accuracy_view.py" line="106"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../gui/views/accuracy_view.py" line="61"/>
        <location filename="../../gui/views/accuracy_view.py" line="107"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/views/accuracy_view.py" line="149"/>
        <source>{val} % (train {train} %)</source>
        <translation>{val} %（训练 {train} %）</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../gui/window/actions.py" line="23"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="24"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="25"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="26"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="27"/>
        <source>&amp;Lesson</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="28"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="88"/>
        <source>Show or hide run {n} ({name})</source>
        <translation>显示或隐藏第 {n} 个训练（{name}）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="99"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="104"/>
        <source>Open a saved scenario (Ctrl+O)</source>
        <translation>打开已保存的场景（Ctrl+O）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="108"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="113"/>
        <source>Save the experiment as it stands (settings, runs, lesson text, view) (Ctrl+S)</source>
        <translation>按当前状态保存实验（设置、各次训练、课程文字、视图）（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="119"/>
        <source>Copy link to experiment</source>
        <translation>复制实验链接</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="123"/>
        <source>Copy the experiment as it stands as one line of text, for a slide or a message (Ctrl+Shift+C)</source>
        <translation>把当前实验复制为一行文字，可放进幻灯片或消息（Ctrl+Shift+C）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="132"/>
        <source>Open link from clipboard</source>
        <translation>从剪贴板打开链接</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="136"/>
        <source>Open the experiment whose link is on the clipboard, as Open does (Ctrl+Shift+V)</source>
        <translation>打开剪贴板中链接所指的实验，与“打开”相同（Ctrl+Shift+V）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="142"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="147"/>
        <source>Write the histories (CSV, JSON) and every plot (PNG, SVG) to a new folder (Ctrl+E)</source>
        <translation>把训练历史（CSV、JSON）和每张图（PNG、SVG）写入一个新文件夹（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="155"/>
        <source>Lesson as PyTorch script…</source>
        <translation>将课程导出为 PyTorch 脚本…</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="159"/>
        <source>Write a standalone PyTorch script that reproduces this experiment&apos;s numbers</source>
        <translation>写出一个独立的 PyTorch 脚本，复现这个实验的数值</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="165"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="173"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="180"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="187"/>
        <source>Restore lesson defaults</source>
        <translation>恢复课程默认设置</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="195"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="200"/>
        <source>Run or pause (Space)</source>
        <translation>运行或暂停（空格）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="201"/>
        <source>Run, pause or resume; behind the head: play or pause the replay</source>
        <translation>运行、暂停或继续；回放时：播放或暂停回放</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="205"/>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="210"/>
        <source>The playhead one iteration back, without recomputing (←)</source>
        <translation>播放头后退一次迭代，不重新计算（←）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="211"/>
        <source>Timeline: one iteration back, without recomputing</source>
        <translation>时间轴：后退一次迭代，不重新计算</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="215"/>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="220"/>
        <source>One iteration of the finest run (→)</source>
        <translation>最细的那次训练前进一次迭代（→）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="221"/>
        <source>One iteration forward (replayed, or computed at the head)</source>
        <translation>前进一次迭代（回放中的，或在最前端新计算的）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="225"/>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="230"/>
        <source>Back to iteration 0 (R)</source>
        <translation>回到第 0 次迭代（R）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="231"/>
        <source>Back to iteration 0</source>
        <translation>回到第 0 次迭代</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="235"/>
        <source>Slower</source>
        <translation>更慢</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="242"/>
        <source>Faster</source>
        <translation>更快</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="249"/>
        <source>Presentation mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="254"/>
        <source>Full screen, large plots, high contrast (F11; Esc leaves)</source>
        <translation>全屏、大图、高对比度（F11；Esc 退出）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="256"/>
        <source>Present</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="260"/>
        <source>Leave presentation mode</source>
        <translation>退出演示模式</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="267"/>
        <source>Batch strip: the samples of this epoch, batch by batch</source>
        <translation>批次条：本轮次的样本，一批一批</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="275"/>
        <source>Side column (lesson and controls)</source>
        <translation>侧栏（课程和控制）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="283"/>
        <source>Readout under the cursor</source>
        <translation>光标处读数</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="287"/>
        <source>Hover a plot to read each run&apos;s value there (H; off in presentation mode until pressed)</source>
        <translation>鼠标停在图上即可读出各次运行在该处的值（H；演示模式下默认关闭，按 H 打开）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="291"/>
        <source>Readout under the cursor: each run&apos;s value or the loss at (w, b) by the mouse</source>
        <translation>光标处读数：鼠标所在处各次运行的值，或 (w, b) 处的损失</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="298"/>
        <source>Next language (English, 中文)</source>
        <translation>下一种语言（English，中文）</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="306"/>
        <source>Larger text</source>
        <translation>放大文字</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="314"/>
        <source>Smaller text</source>
        <translation>缩小文字</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="321"/>
        <source>Text size follows the window</source>
        <translation>文字大小随窗口变化</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="328"/>
        <source>Previous lesson</source>
        <translation>上一课</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="335"/>
        <source>Next lesson</source>
        <translation>下一课</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="342"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../gui/window/actions.py" line="349"/>
        <source>About Batch Size Lab</source>
        <translation>关于 Batch Size Lab</translation>
    </message>
</context>
<context>
    <name>BatchSpin</name>
    <message>
        <location filename="../../gui/widgets/grouped_spin.py" line="46"/>
        <location filename="../../gui/widgets/grouped_spin.py" line="50"/>
        <source>full</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>BusyBar</name>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="14"/>
        <source>Starting PyTorch (once, when the app starts)…</source>
        <translation>正在启动 PyTorch（仅在程序启动时一次）…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="15"/>
        <source>Preparing the data…</source>
        <translation>正在准备数据…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="16"/>
        <source>Computing the loss surface…</source>
        <translation>正在计算损失曲面…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="17"/>
        <source>Measuring the gradient noise (thousands of batches)…</source>
        <translation>正在测量梯度噪声（数千个批次）…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="18"/>
        <source>Training copies with other batch orders to count the minima…</source>
        <translation>正在用其他批次顺序训练副本，统计到达的极小值…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="19"/>
        <source>Downloading the images…</source>
        <translation>正在下载图像…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="20"/>
        <source>Batch-size sweep</source>
        <translation>批大小扫描</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/busy_bar.py" line="61"/>
        <source>about {time} left</source>
        <translation>约剩 {time}</translation>
    </message>
</context>
<context>
    <name>ConceptPanel</name>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="243"/>
        <source>1 batch drawn with replacement per epoch</source>
        <translation>每个轮次有放回地抽取 1 个批次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="245"/>
        <source>{ipe} batches drawn with replacement per epoch</source>
        <translation>每个轮次有放回地抽取 {ipe} 个批次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="249"/>
        <source>⌊N/B⌋ = 1 iteration per epoch</source>
        <translation>⌊N/B⌋ = 每个轮次 1 次迭代</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="251"/>
        <source>⌊N/B⌋ = {ipe} iterations per epoch</source>
        <translation>⌊N/B⌋ = 每个轮次 {ipe} 次迭代</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="255"/>
        <source>⌈N/B⌉ = 1 iteration per epoch</source>
        <translation>⌈N/B⌉ = 每个轮次 1 次迭代</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="257"/>
        <source>⌈N/B⌉ = {ipe} iterations per epoch</source>
        <translation>⌈N/B⌉ = 每个轮次 {ipe} 次迭代</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="262"/>
        <source>{k} workers × {b} = {g}</source>
        <translation>{k} 个工作进程 × {b} = {g}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="265"/>
        <source>N = {n}, B = {b} → {rule}</source>
        <translation>N = {n}，B = {b} → {rule}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="269"/>
        <source>{optimizer}, lr {lr}</source>
        <translation>{optimizer}，学习率 {lr}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="270"/>
        <source>lr {lr}</source>
        <translation>学习率 {lr}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="271"/>
        <source>epoch {e} of {total}, iteration {i} of {ipe}; {s} samples seen</source>
        <translation>第 {e}/{total} 轮次，第 {i}/{ipe} 次迭代；已看过 {s} 个样本</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="279"/>
        <source>validation accuracy {a} %</source>
        <translation>验证准确率 {a} %</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="283"/>
        <source>{r} samples/s</source>
        <translation>{r} 样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="285"/>
        <source>{t} s per epoch here</source>
        <translation>在本机每个轮次 {t} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="291"/>
        <source>✕ diverged before its first step: the loss at the start is not finite</source>
        <translation>✕ 在第一步之前就已发散：起点处的损失不是有限数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="305"/>
        <source>B = {b}, {ipe} it/epoch, lr {lr}</source>
        <translation>B = {b}，每轮次 {ipe} 次迭代，学习率 {lr}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="309"/>
        <source>epoch {e} of {total}, iteration {i}</source>
        <translation>第 {e}/{total} 轮次，第 {i} 次迭代</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="313"/>
        <source>{t} s/epoch</source>
        <translation>{t} 秒/轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="333"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="334"/>
        <source>linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="335"/>
        <source>square root</source>
        <translation>平方根</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="341"/>
        <source>{rule}, 1 epoch of warm-up</source>
        <translation>{rule}，预热 1 个轮次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="343"/>
        <source>{rule}, {e} epochs of warm-up</source>
        <translation>{rule}，预热 {e} 个轮次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="344"/>
        <source>lr for K·B = {g} (B_ref {ref}): {rules}; this run: {used}</source>
        <translation>K·B = {g}（B_ref {ref}）的学习率：{rules}；本运行：{used}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="358"/>
        <source>This machine: {c} cores for {k} worker processes. They take turns and wait for each other at every all-reduce: expect an epoch to take longer, not less.</source>
        <translation>本机：{c} 个核心运行 {k} 个工作进程。它们轮流运行，并在每次 all-reduce 时互相等待：一个轮次会更慢，而不是更快。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="361"/>
        <source>This machine: {c} cores for {k} worker processes.</source>
        <translation>本机：{c} 个核心运行 {k} 个工作进程。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="414"/>
        <source>N = {n} samples, {e} epochs</source>
        <translation>N = {n} 个样本，{e} 个轮次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="293"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="122"/>
        <source>◂ Key points</source>
        <translation>◂ 要点</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="127"/>
        <source>Read the full explanation ▸</source>
        <translation>阅读完整说明 ▸</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="172"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="172"/>
        <source>LeNet-5</source>
        <translation>LeNet-5</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="174"/>
        <source>{model}: {p} parameters; N = {n} training images, {v} for validation</source>
        <translation>{model}：{p} 个参数；N = {n} 张训练图像，{v} 张用于验证</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="288"/>
        <source>✕ diverged at iteration {i} (epoch {e} of {total}): the loss grew without bound</source>
        <translation>✕ 在第 {i} 次迭代（第 {e}/{total} 轮次）发散：损失无界增长</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="297"/>
        <source>⚠ lr {lr} &gt; 2/λ_max = {limit}: unstable, the loss will grow</source>
        <translation>⚠ 学习率 {lr} &gt; 2/λ_max = {limit}：不稳定，损失会增长</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="394"/>
        <source>Copies with other batch orders (seeds):</source>
        <translation>批次顺序不同的副本（种子）：</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="396"/>
        <source>{better} of {seeds} reached the better minimum, {worse} the worse one</source>
        <translation>{seeds} 个中有 {better} 个到达较好的极小值，{worse} 个到达较差的极小值</translation>
    </message>
    <message>
        <location filename="../../gui/panels/concept_panel.py" line="400"/>
        <source>, {n} diverged</source>
        <translation>，{n} 个发散</translation>
    </message>
</context>
<context>
    <name>ConfigMessages</name>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="23"/>
        <source>{field} must be a whole number from {low} to {high}.</source>
        <translation>{field} 必须是 {low} 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="26"/>
        <source>{field} must be a number above {low}.</source>
        <translation>{field} 必须是大于 {low} 的数。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="27"/>
        <source>{field} must be a number of at least {low}.</source>
        <translation>{field} 必须是不小于 {low} 的数。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="28"/>
        <source>{field} must be a number above {low} and at most {high}.</source>
        <translation>{field} 必须大于 {low} 且不超过 {high}。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="31"/>
        <source>{field} must be a number from {low} to {high}.</source>
        <translation>{field} 必须是 {low} 到 {high} 之间的数。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="34"/>
        <source>{field} must be one of: {allowed}.</source>
        <translation>{field} 必须是以下之一：{allowed}。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="35"/>
        <source>{field} must be 10 for Hinton&apos;s one weight: nine samples pull it up by 0.1 and one pulls it down by 0.9.</source>
        <translation>Hinton 的单权重问题要求{field} 为 10：九个样本各把它往上拉 0.1，一个样本往下拉 0.9。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="40"/>
        <source>{field} must be above 0 for logistic regression: without noise the two classes are separable and the loss has no minimum.</source>
        <translation>逻辑回归要求{field} 大于 0：没有噪声时两类数据线性可分，损失没有最小值。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="45"/>
        <source>The batch size of {run} must be from 1 to N = {high} (or full).</source>
        <translation>{run} 的批量大小必须在 1 到 N = {high} 之间（或为“全部”）。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="48"/>
        <source>Choose at least one run to compare.</source>
        <translation>请至少选择一个要对比的训练。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="49"/>
        <source>The workers of {run} times its batch size (the global batch) must be at most N = {high}.</source>
        <translation>{run} 的工作进程数乘以批大小（全局批次）必须不超过 N = {high}。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="53"/>
        <source>The workers of {run} each take a share of the batch: give it a batch size below N, not “full”.</source>
        <translation>{run} 的每个工作进程各取批次的一部分：请给它一个小于 N 的批大小，而不是“全部”。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="57"/>
        <source>The runs&apos; workers add up to more than {high} processes: give some runs fewer workers.</source>
        <translation>各运行的工作进程加起来超过 {high} 个：请减少某些运行的工作进程数。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="61"/>
        <source>{field} must each be from 1 to N = {high}.</source>
        <translation>{field}中的每一个都必须在 1 到 N = {high} 之间。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="62"/>
        <source>These runs would need about {needed} of memory, more than the {available} this computer has free. Use smaller batches, fewer runs or fewer samples.</source>
        <translation>这些运行约需 {needed} 内存，超过本机空闲的 {available}。请减小批大小，或减少运行数、样本数。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="67"/>
        <source>These runs would need about {needed} of GPU memory, more than the {available} free on the GPU. Use smaller batches, fewer runs or fewer samples, or the device cpu.</source>
        <translation>这些运行约需 {needed} 显存，超过 GPU 上空闲的 {available}。请减小批大小，或减少运行数、样本数，或改用 cpu 设备。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="72"/>
        <source>These data cannot be fitted by logistic regression: the drawn classes do not overlap, so the loss has no minimum. Raise the noise or the samples N, or move the true intercept closer to 0.</source>
        <translation>这组数据无法用逻辑回归拟合：抽到的两类样本没有重叠，损失没有最小值。请增大标签噪声 σ 或样本数 N，或让真实截距更接近 0。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="78"/>
        <source>The two-lines surface has no minimum in view for these data. Lower the noise or raise the samples N.</source>
        <translation>对这组数据，两条直线问题的损失曲面在视野内没有最小值。请减小标签噪声 σ 或增大样本数 N。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="83"/>
        <source>LeNet-5 takes 28×28 images: choose Fashion-MNIST, MNIST or the random images, or the MLP for the 8×8 digits.</source>
        <translation>LeNet-5 需要 28×28 的图像：请选择 Fashion-MNIST、MNIST 或随机图像；8×8 手写数字请用 MLP。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="88"/>
        <source>{field} applies to the network problem only.</source>
        <translation>{field}只适用于神经网络问题。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="89"/>
        <source>This machine has no usable CUDA GPU (or this PyTorch has no CUDA). Choose the device auto or cpu.</source>
        <translation>这台机器没有可用的 CUDA GPU（或此 PyTorch 不含 CUDA）。请把设备选为 auto 或 cpu。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="94"/>
        <source>The device ran out of memory. Try a smaller batch size or fewer samples.</source>
        <translation>设备内存不足。请尝试更小的批大小或更少的样本。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="97"/>
        <source>Training stopped: Batch Size Lab met an error it did not expect ({kind}). The other lessons still work; the details are in the log.</source>
        <translation>训练已停止：Batch Size Lab 遇到了一个意外错误（{kind}）。其他课程仍可使用；详细信息已写入日志。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="104"/>
        <source>The {dataset} images are not on this computer. Download them once with: python main.py download {dataset} — or choose the digits, which come with the app.</source>
        <translation>这台电脑上没有 {dataset} 图像。请先下载一次：python main.py download {dataset}，或者选择随程序附带的手写数字。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="109"/>
        <source>The {dataset} files on this computer are damaged. Delete them from the cache and download them again; the other datasets still work.</source>
        <translation>这台电脑上的 {dataset} 文件已损坏。请从缓存中删除后重新下载；其他数据集仍可使用。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="116"/>
        <source>The {dataset} server could not be reached. Check the connection and try again; nothing was kept of the files not yet complete.</source>
        <translation>无法连接 {dataset} 的服务器。请检查网络后重试；未下载完整的文件都没有保留。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="121"/>
        <source>The {dataset} server refused a file. Try again later; nothing was kept of it.</source>
        <translation>{dataset} 的服务器拒绝提供某个文件。请稍后重试；该文件没有保留任何部分。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="124"/>
        <source>A downloaded {dataset} file did not match its published checksum, so it was not kept. Try again.</source>
        <translation>下载的某个 {dataset} 文件与公布的校验和不符，因此没有保留。请重试。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="128"/>
        <source>The {dataset} files could not be saved in the cache folder (is the disk full?). Nothing half-written was kept.</source>
        <translation>{dataset} 文件无法保存到缓存文件夹（磁盘是否已满？）。没有保留写了一半的文件。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="136"/>
        <source>The download of {dataset} stopped early; nothing of it was kept. Try again.</source>
        <translation>{dataset} 的下载中途停止；没有保留任何部分。请重试。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="139"/>
        <source>(It was {got}.)</source>
        <translation>（输入的是 {got}。）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/config_messages.py" line="140"/>
        <source>Training stopped: data-parallel worker {worker} of {workers} of {runs} ended unexpectedly ({how}), so its group was ended. Run again to start new workers.</source>
        <translation>训练已停止：{runs} 的数据并行工作进程 {worker}/{workers} 意外结束（{how}），所以它的整组进程都已结束。重新运行即可启动新的工作进程。</translation>
    </message>
</context>
<context>
    <name>ContourView</name>
    <message>
        <location filename="../../gui/views/contour_view.py" line="97"/>
        <source>Loss surface (all N samples)</source>
        <translation>损失曲面（全部 N 个样本）</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="98"/>
        <source>w (slope)</source>
        <translation>w（斜率）</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="99"/>
        <source>b (intercept)</source>
        <translation>b（截距）</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="103"/>
        <location filename="../../gui/views/contour_view.py" line="183"/>
        <source>start</source>
        <translation>起点</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="104"/>
        <location filename="../../gui/views/contour_view.py" line="183"/>
        <source>minimum</source>
        <translation>最小值</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="104"/>
        <location filename="../../gui/views/contour_view.py" line="183"/>
        <source>better minimum</source>
        <translation>较好的极小值</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="105"/>
        <location filename="../../gui/views/contour_view.py" line="184"/>
        <source>worse minimum</source>
        <translation>较差的极小值</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="106"/>
        <location filename="../../gui/views/contour_view.py" line="249"/>
        <source>−g_B (batches)</source>
        <translation>−g_B（各批次）</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="107"/>
        <location filename="../../gui/views/contour_view.py" line="250"/>
        <source>−G (all N)</source>
        <translation>−G（全部 N）</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="214"/>
        <source>w = {w}, b = {b}</source>
        <translation>w = {w}，b = {b}</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="215"/>
        <source>w = {w}, b = {b}, loss = {loss}</source>
        <translation>w = {w}，b = {b}，损失 = {loss}</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="300"/>
        <source>{run} diverged</source>
        <translation>{run} 发散了</translation>
    </message>
    <message>
        <location filename="../../gui/views/contour_view.py" line="300"/>
        <source>{run} left the plot</source>
        <translation>{run} 离开了图面</translation>
    </message>
</context>
<context>
    <name>ControlPanel</name>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="185"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="186"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="45"/>
        <location filename="../../gui/panels/control_panel.py" line="187"/>
        <source>Runs to compare</source>
        <translation>对比的训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="28"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="29"/>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="30"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="31"/>
        <source>Initial weights</source>
        <translation>初始权重</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="32"/>
        <source>Samples N</source>
        <translation>样本数 N</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="33"/>
        <source>Label noise σ</source>
        <translation>标签噪声 σ</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="34"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="35"/>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="36"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="37"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="38"/>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="39"/>
        <source>LR scaling with B</source>
        <translation>学习率随 B 缩放</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="40"/>
        <source>Reference batch B_ref</source>
        <translation>参考批大小 B_ref</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="41"/>
        <source>Warm-up epochs</source>
        <translation>预热轮次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="42"/>
        <source>Sampling</source>
        <translation>采样方式</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="43"/>
        <source>Drop last batch</source>
        <translation>丢弃最后不满的批次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="44"/>
        <source>Same batches for all</source>
        <translation>所有训练用相同批次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="201"/>
        <source>network on images (MLP, LeNet-5)</source>
        <translation>图像上的神经网络（MLP、LeNet-5）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="207"/>
        <source>8×8 handwritten digits (bundled)</source>
        <translation>8×8 手写数字（随程序附带）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="208"/>
        <source>Fashion-MNIST, 28×28 clothes</source>
        <translation>Fashion-MNIST，28×28 服饰</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="209"/>
        <source>MNIST, 28×28 digits</source>
        <translation>MNIST，28×28 数字</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="210"/>
        <source>random images, random teacher</source>
        <translation>随机图像、随机教师标注</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="214"/>
        <source>MLP: inputs → 128 → classes</source>
        <translation>MLP：输入 → 128 → 类别</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="214"/>
        <source>LeNet-5 (28×28 only)</source>
        <translation>LeNet-5（仅 28×28）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="218"/>
        <source>PyTorch default</source>
        <translation>PyTorch 默认</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="219"/>
        <source>Kaiming uniform</source>
        <translation>Kaiming 均匀</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="220"/>
        <source>Kaiming normal</source>
        <translation>Kaiming 正态</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="221"/>
        <source>Xavier uniform</source>
        <translation>Xavier 均匀</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="222"/>
        <source>Xavier normal</source>
        <translation>Xavier 正态</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="237"/>
        <source>Runs with the same batch size and sampling see the very same batches in the same order</source>
        <translation>批量大小和采样方式相同的训练，按相同顺序看到完全相同的批次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="332"/>
        <source>Each run starts from its own initialisation (see its row)</source>
        <translation>每次训练都从各自的初始化出发（见其所在行）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="198"/>
        <source>linear regression (MSE)</source>
        <translation>线性回归（均方误差）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="199"/>
        <source>logistic regression</source>
        <translation>逻辑回归</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="200"/>
        <source>robust fit, two minima</source>
        <translation>鲁棒拟合，两个极小值</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="202"/>
        <source>Hinton&apos;s one weight</source>
        <translation>Hinton 的单个权重</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="226"/>
        <source>none: the same lr for every B</source>
        <translation>无：所有 B 用同一学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="227"/>
        <source>linear: lr × B / B_ref</source>
        <translation>线性：lr × B / B_ref</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="228"/>
        <source>square root: lr × √(B / B_ref)</source>
        <translation>平方根：lr × √(B / B_ref)</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="230"/>
        <source>The lr rises linearly from near 0 over this many epochs; 0: no warm-up</source>
        <translation>学习率在这么多轮次内从接近 0 线性升高；0 表示不预热</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="232"/>
        <source>reshuffle each epoch, then partition</source>
        <translation>每轮次重新打乱后切分</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="233"/>
        <source>draw with replacement</source>
        <translation>有放回抽样</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="239"/>
        <source>Used by SGD and RMSprop; 0 turns it off.</source>
        <translation>SGD 与 RMSprop 使用；0 表示关闭。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/control_panel.py" line="284"/>
        <source>Choose at least one run to compare.</source>
        <translation>请至少选择一个要对比的训练。</translation>
    </message>
</context>
<context>
    <name>CounterBar</name>
    <message>
        <location filename="../../gui/views/counter_bar.py" line="77"/>
        <source>Epoch {e} of {total}</source>
        <translation>第 {e} / {total} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/views/counter_bar.py" line="78"/>
        <source>iteration {i} of {ipe} in this epoch</source>
        <translation>本轮第 {i} / {ipe} 次迭代</translation>
    </message>
    <message>
        <location filename="../../gui/views/counter_bar.py" line="81"/>
        <source>{i} of {total} in all</source>
        <translation>共 {i} / {total} 次</translation>
    </message>
    <message>
        <location filename="../../gui/views/counter_bar.py" line="85"/>
        <source>{run}: B = {b}</source>
        <translation>{run}：B = {b}</translation>
    </message>
</context>
<context>
    <name>CursorReadout</name>
    <message>
        <location filename="../../gui/views/cursor_readout.py" line="114"/>
        <source>{axis}: {value}</source>
        <translation>{axis}：{value}</translation>
    </message>
    <message>
        <location filename="../../gui/views/cursor_readout.py" line="120"/>
        <source>{glyph} {name}: {value}</source>
        <translation>{glyph} {name}：{value}</translation>
    </message>
</context>
<context>
    <name>LandscapeView</name>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="117"/>
        <source>The landscape is computed once the runs have finished.</source>
        <translation>训练结束后计算损失地形。</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="121"/>
        <source>Loss over {n} training images on this plane. Around each run&apos;s end point, the loss rises on average by the amount below at a distance of {r:.3g}: a larger rise is steeper ground around that point on this plane (a sharper minimum, or a point not yet at one).</source>
        <translation>此平面上的损失，用 {n} 张训练图像计算。在每次训练的终点周围，距离 {r:.3g} 处的损失平均升高如下：升高越多，说明该点周围在这个平面上越陡（极小值更尖锐，或者还没到达极小值）。</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="136"/>
        <source>The paths are projections: an end point lies off the plane by up to {share:.0f} % of its distance from the plane&apos;s centre, so the loss along a drawn path is not the surface&apos;s.</source>
        <translation>路径是投影：终点偏离平面的距离最多达到它到平面中心距离的 {share:.0f} %，所以画出的路径上的损失并不是曲面上的损失。</translation>
    </message>
    <message>
        <source>Loss over {n} training images on this plane. Around each run&apos;s end point, the loss rises on average by the amount below at a distance of {r:.3g} (a larger rise: a sharper minimum on this plane).</source>
        <translation type="vanished">此平面上的损失，用 {n} 张训练图像计算。在每次训练的终点周围，距离 {r:.3g} 处的损失平均升高如下（升高越多：在这个平面上极小值越尖锐）。</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="129"/>
        <source>&lt;b&gt;{label}&lt;/b&gt;: loss {loss:.3g} at its end, rise {rise:.3g}.</source>
        <translation>&lt;b&gt;{label}&lt;/b&gt;：终点损失 {loss:.3g}，升高 {rise:.3g}。</translation>
    </message>
    <message>
        <source>The paths are projections: the end points lie up to {share:.0f} % of their distance off the plane, so the loss along a drawn path is not the surface&apos;s.</source>
        <translation type="vanished">路径是投影：终点偏离平面最多达其距离的 {share:.0f} %，所以画出的路径上的损失并不是曲面上的损失。</translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <location filename="../../gui/views/loss_view.py" line="34"/>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="35"/>
        <source>iteration</source>
        <translation>迭代</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="36"/>
        <source>samples seen</source>
        <translation>已看过的样本数</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="37"/>
        <source>compute time (s)</source>
        <translation>计算时间（秒）</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="41"/>
        <source>mean squared residual (log scale)</source>
        <translation>均方残差（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="42"/>
        <source>mean cross-entropy (log scale)</source>
        <translation>平均交叉熵（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="43"/>
        <source>mean robust (Welsch) loss (log scale)</source>
        <translation>平均鲁棒（Welsch）损失（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="44"/>
        <source>mini-batch mean cross-entropy (log scale)</source>
        <translation>小批量平均交叉熵（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="49"/>
        <source>mean squared residual</source>
        <translation>均方残差</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="50"/>
        <source>mean cross-entropy</source>
        <translation>平均交叉熵</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="51"/>
        <source>mean robust (Welsch) loss</source>
        <translation>平均鲁棒（Welsch）损失</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="52"/>
        <source>mini-batch mean cross-entropy</source>
        <translation>小批量平均交叉熵</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="53"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="218"/>
        <source>The weight {name}</source>
        <translation>权重 {name}</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="220"/>
        <source>{name} (symmetric log scale)</source>
        <translation>{name}（对称对数刻度）</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="223"/>
        <source>Loss on each step&apos;s mini-batch</source>
        <translation>每步小批量上的损失</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="231"/>
        <source>log x</source>
        <translation>对数 x</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="232"/>
        <source>log y</source>
        <translation>对数 y</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="233"/>
        <source>Logarithmic x-axis: the first steps get as much room as the last</source>
        <translation>对数横轴：最初几步与最后几步占同样的宽度</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="234"/>
        <source>Smoothing:</source>
        <translation>平滑：</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="236"/>
        <source>Exponential moving average with bias correction (as in TensorBoard); 0 = off</source>
        <translation>带偏差校正的指数滑动平均（与 TensorBoard 相同）；0 = 关闭</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="45"/>
        <source>loss (log scale)</source>
        <translation>损失（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="225"/>
        <source>Training loss on all N samples</source>
        <translation>全部 N 个样本上的训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/views/loss_view.py" line="230"/>
        <source>x-axis:</source>
        <translation>横轴：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/window/main_window.py" line="145"/>
        <source>Batch Size Lab</source>
        <translation>批大小实验室</translation>
    </message>
    <message>
        <location filename="../../gui/window/main_window.py" line="146"/>
        <source>Controls</source>
        <translation>控制面板</translation>
    </message>
    <message>
        <location filename="../../gui/window/main_window.py" line="147"/>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
</context>
<context>
    <name>MemoryView</name>
    <message>
        <location filename="../../gui/views/memory_view.py" line="70"/>
        <source>Memory of one training step against batch size</source>
        <translation>单步训练内存随批大小的变化</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="72"/>
        <source>batch size B (log scale)</source>
        <translation>批大小 B（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="73"/>
        <source>bytes (log scale)</source>
        <translation>字节（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="75"/>
        <source>measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <source>predicted: a straight line in B</source>
        <translation type="vanished">预测：B 的一条直线</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="76"/>
        <source>predicted: fixed part + per sample × B</source>
        <translation>预测：固定部分 + 每样本 × B</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="77"/>
        <source>predicted, not run: over the budget</source>
        <translation>预测值，未运行：超出预算</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="86"/>
        <source>Memory is measured when the sweep starts.</source>
        <translation>扫描开始时测量内存。</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="108"/>
        <source>budget {size}</source>
        <translation>预算 {size}</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="115"/>
        <source>One step needs {fixed} plus {per} per sample (the line through B = {a} and {b}); every other size is measured where it was run.</source>
        <translation>一步训练需要 {fixed}，每个样本再加 {per}（过 B = {a} 和 {b} 两点的直线）；其他批大小凡是运行过的都实测。</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="126"/>
        <source>Budget {budget}: the largest batch that fits is about B = {b}.</source>
        <translation>预算 {budget}：能放下的最大批约为 B = {b}。</translation>
    </message>
    <message>
        <location filename="../../gui/views/memory_view.py" line="133"/>
        <source>Not run (predicted): {sizes}.</source>
        <translation>未运行（预测值）：{sizes}。</translation>
    </message>
</context>
<context>
    <name>NoiseView</name>
    <message>
        <location filename="../../gui/views/noise_view.py" line="78"/>
        <source>Gradient noise against batch size</source>
        <translation>梯度噪声与批大小</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="79"/>
        <source>batch size B (log scale)</source>
        <translation>批大小 B（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="80"/>
        <source>E|g_B − G|² (log scale)</source>
        <translation>E|g_B − G|²（对数坐标）</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="82"/>
        <source>measured, no repeats (shuffle)</source>
        <translation>实测，不重复取样（打乱后切分）</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="83"/>
        <source>(N − B)/(N − 1) · tr Σ / B</source>
        <translation>(N − B)/(N − 1) · tr Σ / B</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="84"/>
        <source>measured, with replacement</source>
        <translation>实测，有放回抽样</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="85"/>
        <source>tr Σ / B</source>
        <translation>tr Σ / B</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="86"/>
        <source>Measure at current point</source>
        <translation>在当前点测量</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="87"/>
        <source>Measure the gradient noise where the first run is now</source>
        <translation>在第一次训练当前所在的位置测量梯度噪声</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="126"/>
        <source>Measuring… (the bar above the plots shows how far)</source>
        <translation>正在测量…（图上方的进度条显示进度）</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="141"/>
        <source>B = –</source>
        <translation>B = –</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="142"/>
        <source>No measurement: this lesson does not measure gradient noise.</source>
        <translation>无测量：本课不测量梯度噪声。</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="146"/>
        <source>cloud for B = {b}</source>
        <translation>B = {b} 的梯度云</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="149"/>
        <source>Measured {where}, {draws} batches of B = {b} each way.</source>
        <translation>测量位置：{where}；每种抽样方式各 {draws} 个 B = {b} 的批次。</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="153"/>
        <source>B = {b}: measured {m:.4g} (no repeats) and {w:.4g} (with replacement); theory {t:.4g} and {u:.4g}.</source>
        <translation>B = {b}：实测 {m:.4g}（不重复）和 {w:.4g}（有放回）；理论值 {t:.4g} 和 {u:.4g}。</translation>
    </message>
    <message>
        <location filename="../../gui/views/noise_view.py" line="163"/>
        <source>tr Σ = {trace:.4g}, |G|² = {grad:.4g}: &lt;b&gt;B_simple = tr Σ / |G|² = {bs:.3g}&lt;/b&gt; (estimated from batches of {small} and {big} alone: {est:.3g}).</source>
        <translation>tr Σ = {trace:.4g}，|G|² = {grad:.4g}：&lt;b&gt;B_simple = tr Σ / |G|² = {bs:.3g}&lt;/b&gt;（仅用大小为 {small} 和 {big} 的批次估计：{est:.3g}）。</translation>
    </message>
</context>
<context>
    <name>PlaneView</name>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="35"/>
        <source>Loss on the plane of the paths&apos; two main directions (PCA)</source>
        <translation>路径两个主方向（PCA）所在平面上的损失</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="36"/>
        <source>direction 1 ({share:.0f} % of the movement)</source>
        <translation>方向 1（解释 {share:.0f} % 的移动）</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="37"/>
        <source>direction 2 ({share:.0f} % of the movement)</source>
        <translation>方向 2（解释 {share:.0f} % 的移动）</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="39"/>
        <source>Loss on a plane of two random filter-normalised directions</source>
        <translation>两个随机、按滤波器归一化的方向所在平面上的损失</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="40"/>
        <source>direction 1</source>
        <translation>方向 1</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="40"/>
        <source>direction 2</source>
        <translation>方向 2</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="48"/>
        <source>lowest point of the plane</source>
        <translation>平面上的最低点</translation>
    </message>
    <message>
        <location filename="../../gui/views/landscape_view.py" line="50"/>
        <source>start</source>
        <translation>起点</translation>
    </message>
</context>
<context>
    <name>PredictionsView</name>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="24"/>
        <source>T-shirt/top</source>
        <translation>T 恤/上衣</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="25"/>
        <source>Trouser</source>
        <translation>裤子</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="26"/>
        <source>Pullover</source>
        <translation>套头衫</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="27"/>
        <source>Dress</source>
        <translation>连衣裙</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="28"/>
        <source>Coat</source>
        <translation>外套</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="29"/>
        <source>Sandal</source>
        <translation>凉鞋</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="30"/>
        <source>Shirt</source>
        <translation>衬衫</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="31"/>
        <source>Sneaker</source>
        <translation>运动鞋</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="32"/>
        <source>Bag</source>
        <translation>包</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="33"/>
        <source>Ankle boot</source>
        <translation>短靴</translation>
    </message>
    <message>
        <location filename="../../gui/views/predictions_view.py" line="116"/>
        <source>One validation image of each class; under it, each run&apos;s answer now: ✓ right, or ✗ and the class it named.</source>
        <translation>每个类别一张验证图像；下方是每次训练当前的回答：✓ 表示正确，✗ 后面是它给出的类别。</translation>
    </message>
</context>
<context>
    <name>RunNames</name>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="12"/>
        <source>GD</source>
        <translation>GD</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="13"/>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="14"/>
        <source>Mini-batch</source>
        <translation>小批量</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="15"/>
        <source>Full-batch</source>
        <translation>全批量</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="16"/>
        <source>Shuffle</source>
        <translation>打乱后切分</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="17"/>
        <source>Replacement</source>
        <translation>有放回抽样</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="19"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="20"/>
        <source>kaiming-uniform</source>
        <translation>Kaiming 均匀</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="21"/>
        <source>kaiming-normal</source>
        <translation>Kaiming 正态</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="22"/>
        <source>xavier-uniform</source>
        <translation>Xavier 均匀</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="23"/>
        <source>xavier-normal</source>
        <translation>Xavier 正态</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="25"/>
        <source>1 worker</source>
        <translation>1 个进程</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="26"/>
        <source>4 workers</source>
        <translation>4 个进程</translation>
    </message>
    <message>
        <location filename="../../gui/widgets/run_names.py" line="27"/>
        <source>4 workers, lr ×4</source>
        <translation>4 进程，lr ×4</translation>
    </message>
</context>
<context>
    <name>RunsEditor</name>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="35"/>
        <source>PyTorch default init</source>
        <translation>PyTorch 默认初始化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="36"/>
        <source>Kaiming uniform init</source>
        <translation>Kaiming 均匀初始化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="37"/>
        <source>Kaiming normal init</source>
        <translation>Kaiming 正态初始化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="38"/>
        <source>Xavier uniform init</source>
        <translation>Xavier 均匀初始化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="39"/>
        <source>Xavier normal init</source>
        <translation>Xavier 正态初始化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="206"/>
        <source>+ Add a run</source>
        <translation>+ 添加训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="207"/>
        <source>Another run to compare, with the optimizer and sampling above</source>
        <translation>再添加一个对比训练，使用上方的优化器和采样方式</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="269"/>
        <source>lr {lr}</source>
        <translation>学习率 {lr}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="272"/>
        <source>reshuffled</source>
        <translation>每轮重新打乱</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="272"/>
        <source>with replacement</source>
        <translation>有放回抽取</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="280"/>
        <source>Batch size B of {run}; N (all samples) reads “full”</source>
        <translation>{run} 的批量大小 B；等于 N（全部样本）时显示“全部”</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="286"/>
        <source>Data-parallel workers K of {run}: K processes (torch.distributed), each taking B samples, so one step sees the global batch K × B</source>
        <translation>{run} 的数据并行工作进程数 K：K 个进程（torch.distributed），每个取 B 个样本，所以一步看到全局批次 K × B</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_editor.py" line="292"/>
        <source>Slide the batch size of {run}:</source>
        <translation>拖动以改变 {run} 的批量大小：</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../gui/window/status.py" line="19"/>
        <location filename="../../gui/window/status.py" line="20"/>
        <location filename="../../gui/window/status.py" line="21"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="19"/>
        <location filename="../../gui/window/status.py" line="20"/>
        <location filename="../../gui/window/status.py" line="21"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="22"/>
        <location filename="../../gui/window/status.py" line="30"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="22"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="23"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="23"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="24"/>
        <location filename="../../gui/window/status.py" line="25"/>
        <source>Run again</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="24"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="25"/>
        <source>failed</source>
        <translation>出错</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="29"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="29"/>
        <source>replay paused</source>
        <translation>回放已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/window/status.py" line="30"/>
        <source>replaying</source>
        <translation>回放中</translation>
    </message>
</context>
<context>
    <name>SweepControls</name>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="26"/>
        <source>Batch sizes</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="27"/>
        <source>Seeds per size</source>
        <translation>每个批大小的种子数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="28"/>
        <source>Learning rate per size</source>
        <translation>各批大小的学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="29"/>
        <source>Target validation accuracy (%)</source>
        <translation>目标验证准确率（%）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="30"/>
        <source>Memory budget (MB)</source>
        <translation>内存预算（MB）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="33"/>
        <source>the same for every size</source>
        <translation>每个批大小都相同</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="34"/>
        <source>linear: lr × B / B_ref</source>
        <translation>线性：lr × B / B_ref</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="35"/>
        <source>square root: lr × √(B / B_ref)</source>
        <translation>平方根：lr × √(B / B_ref)</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="36"/>
        <source>tuned: the best of five rates</source>
        <translation>调优：五个学习率中最好的</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="85"/>
        <source>Batch-size sweep</source>
        <translation>批大小扫描</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="90"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="91"/>
        <source>half the free memory</source>
        <translation>空闲内存的一半</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="92"/>
        <source>Batch sizes separated by commas, e.g. 8, 16, 32, 64</source>
        <translation>用逗号分隔的批大小，例如 8, 16, 32, 64</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sweep_controls.py" line="130"/>
        <source>Batch sizes must be whole numbers separated by commas (not {text!r}).</source>
        <translation>批大小必须是用逗号分隔的整数（不能是 {text!r}）。</translation>
    </message>
</context>
<context>
    <name>SweepTable</name>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="16"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="17"/>
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="18"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="19"/>
        <source>s / epoch</source>
        <translation>秒/轮次</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="20"/>
        <source>samples / s</source>
        <translation>样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="21"/>
        <source>step memory (MB)</source>
        <translation>一步内存（MB）</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="22"/>
        <source>steps to target</source>
        <translation>到目标步数</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="23"/>
        <source>epochs to target</source>
        <translation>到目标轮次</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="24"/>
        <source>s to target</source>
        <translation>到目标秒数</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="25"/>
        <source>final train loss</source>
        <translation>最终训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="26"/>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="27"/>
        <source>train − validation</source>
        <translation>训练 − 验证</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="28"/>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="31"/>
        <source>ok</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="32"/>
        <source>diverged</source>
        <translation>发散</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="33"/>
        <source>target not reached</source>
        <translation>未达目标</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_table.py" line="34"/>
        <source>over the memory budget</source>
        <translation>超出内存预算</translation>
    </message>
</context>
<context>
    <name>SweepView</name>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="33"/>
        <source>samples per second (timed alone)</source>
        <translation>每秒样本数（单独计时）</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="34"/>
        <source>seconds per epoch (timed alone)</source>
        <translation>每轮次秒数（单独计时）</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="35"/>
        <source>memory of one step (MB)</source>
        <translation>一步训练的内存（MB）</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="36"/>
        <source>epochs to the target</source>
        <translation>到达目标的轮次</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="37"/>
        <source>seconds to the target</source>
        <translation>到达目标的秒数</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="38"/>
        <source>final training loss</source>
        <translation>最终训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="39"/>
        <source>train − validation accuracy</source>
        <translation>训练准确率 − 验证准确率</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="40"/>
        <source>learning rate used</source>
        <translation>所用学习率</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="197"/>
        <source>Steps to the target</source>
        <translation>到达目标的步数</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="198"/>
        <source>Time and epochs to the target ÷ their least</source>
        <translation>到达目标的时间和轮次 ÷ 各自最小值</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="199"/>
        <source>Validation accuracy at the end (%)</source>
        <translation>最终验证准确率（%）</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="206"/>
        <source>batch size B (log scale)</source>
        <translation>批大小 B（对数坐标）</translation>
    </message>
    <message>
        <source>mean over seeds</source>
        <translation type="vanished">各种子平均</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="211"/>
        <source>each seed</source>
        <translation>单个种子</translation>
    </message>
    <message>
        <source>fit S_min · (1 + B_crit / B)</source>
        <translation type="vanished">拟合 S_min · (1 + B_crit / B)</translation>
    </message>
    <message>
        <source>time to target</source>
        <translation type="vanished">到达目标的时间</translation>
    </message>
    <message>
        <source>epochs to target</source>
        <translation type="vanished">到达目标的轮次</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="217"/>
        <source>Fourth plot:</source>
        <translation>第四幅图：</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="242"/>
        <source>No sweep yet: it runs after the lesson&apos;s own runs.</source>
        <translation>还没有扫描：它在本课自己的训练之后运行。</translation>
    </message>
    <message>
        <source>critical B ≈ {b:.3g}</source>
        <translation type="vanished">临界批大小 ≈ {b:.3g}</translation>
    </message>
    <message>
        <source>noise scale at the start ≈ {v:.3g}</source>
        <translation type="vanished">开始时的噪声尺度 ≈ {v:.3g}</translation>
    </message>
    <message>
        <source>noise scale midway ≈ {v:.3g}</source>
        <translation type="vanished">训练中途的噪声尺度 ≈ {v:.3g}</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="207"/>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="210"/>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="212"/>
        <source>fitted law</source>
        <translation>拟合曲线</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="215"/>
        <source>time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="216"/>
        <source>epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="299"/>
        <source>start</source>
        <translation>开始时</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="299"/>
        <source>midway</source>
        <translation>训练中途</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="319"/>
        <source>least time: B = {b}</source>
        <translation>用时最少：B = {b}</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="330"/>
        <source>× the least</source>
        <translation>× 最小值</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="334"/>
        <source>Sweep: {phase}</source>
        <translation>扫描：{phase}</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="337"/>
        <source>No target is set: the sweep compares the final figures only.</source>
        <translation>没有设定目标：扫描只比较最终结果。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="341"/>
        <source>Fit of the steps to {target} over {points} runs: S_min = {s:.3g} ± {s_se:.2g} steps, &lt;b&gt;B_crit = {b:.3g} ± {b_se:.2g}&lt;/b&gt;.</source>
        <translation>对 {points} 次训练达到{target}的步数拟合：S_min = {s:.3g} ± {s_se:.2g} 步，&lt;b&gt;B_crit = {b:.3g} ± {b_se:.2g}&lt;/b&gt;。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="353"/>
        <source>The law S = S_min · (1 + B_crit / B) does not fit these points.</source>
        <translation>规律 S = S_min · (1 + B_crit / B) 与这些点不符。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="357"/>
        <source>Gradient noise scale B_simple = {v:.3g} at the start</source>
        <translation>梯度噪声尺度 B_simple：开始时 {v:.3g}</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="359"/>
        <source>, {v:.3g} midway (B = {b}, after {e:g} epochs)</source>
        <translation>，训练中途 {v:.3g}（B = {b}，{e:g} 个轮次后）</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="362"/>
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="366"/>
        <source>Least time to the target on this machine: B = {b} (each size timed alone).</source>
        <translation>在这台机器上到达目标用时最少：B = {b}（每个批大小单独计时）。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="373"/>
        <source>Not run, over the memory budget: B = {sizes}.</source>
        <translation>超出内存预算而未运行：B = {sizes}。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="385"/>
        <source>measuring the memory of one step…</source>
        <translation>测量单步训练的内存…</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="388"/>
        <source>timing each size alone…</source>
        <translation>逐个单独为每个批大小计时…</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="389"/>
        <source>timing B = {b} alone…</source>
        <translation>单独为 B = {b} 计时…</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="391"/>
        <source>measuring the gradient noise scale…</source>
        <translation>测量梯度噪声尺度…</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="393"/>
        <source>training every size, seed {k} of {n}, epoch {e:.0f} of {total}…</source>
        <translation>训练每个批大小，第 {k}/{n} 个种子，第 {e:.0f}/{total} 轮…</translation>
    </message>
    <message>
        <source>Sweep: measuring the memory of one step…</source>
        <translation type="vanished">扫描：测量一步训练的内存…</translation>
    </message>
    <message>
        <source>Sweep: timing B = {b} alone…</source>
        <translation type="vanished">扫描：单独为 B = {b} 计时…</translation>
    </message>
    <message>
        <source>Sweep: measuring the gradient noise scale…</source>
        <translation type="vanished">扫描：测量梯度噪声尺度…</translation>
    </message>
    <message>
        <source>Sweep: training every size, seed {k} of {n}, epoch {e:.1f} of {total}…</source>
        <translation type="vanished">扫描：训练每个批大小，第 {k}/{n} 个种子，第 {e:.1f}/{total} 个轮次…</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="400"/>
        <source>Learning rate: the same at every batch size.</source>
        <translation>学习率：每个批大小都相同。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="401"/>
        <source>Learning rate: scaled in proportion to B.</source>
        <translation>学习率：与 B 成正比缩放。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="402"/>
        <source>Learning rate: scaled with √B.</source>
        <translation>学习率：按 √B 缩放。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="404"/>
        <source>Learning rate: tuned at each batch size (the best of five rates around the √B rule, picked on the first seed).</source>
        <translation>学习率：对每个批大小单独调（在 √B 规则附近的五个学习率中取最好的，在第一个种子上选出）。</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="414"/>
        <source>{v:g} % validation accuracy</source>
        <translation> {v:g} % 验证准确率</translation>
    </message>
    <message>
        <location filename="../../gui/views/sweep_view.py" line="415"/>
        <source>a training loss of {v:g}</source>
        <translation>训练损失 {v:g}</translation>
    </message>
</context>
</TS>
