<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>BrowseModel</name>
    <message>
        <source>No date</source>
        <translation>无日期</translation>
    </message>
    <message>
        <source>{month_name} {year}</source>
        <translation>{year}年{month}月</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <source>Near-duplicates</source>
        <translation>近似重复</translation>
    </message>
    <message>
        <source>Looking for near-duplicates…</source>
        <translation>正在查找近似重复的照片…</translation>
    </message>
    <message>
        <source>Similarity ≥ </source>
        <translation>相似度 ≥ </translation>
    </message>
    <message>
        <source>How alike two photos must be to count as copies</source>
        <translation>两张照片要多相似才算作副本</translation>
    </message>
    <message>
        <source>Find again</source>
        <translation>重新查找</translation>
    </message>
    <message>
        <source>Keep the best, move the others to the trash…</source>
        <translation>保留最佳副本，其余移到回收站…</translation>
    </message>
    <message>
        <source>No near-duplicates in the library.</source>
        <translation>图库中没有近似重复的照片。</translation>
    </message>
    <message>
        <source>{count} group of near-duplicates;</source>
        <translation>{count} 组近似重复照片；</translation>
    </message>
    <message>
        <source>{count} groups of near-duplicates;</source>
        <translation>{count} 组近似重复照片；</translation>
    </message>
    <message>
        <source>{count} extra copy could go.</source>
        <translation>可删除 {count} 个多余副本。</translation>
    </message>
    <message>
        <source>{count} extra copies could go.</source>
        <translation>可删除 {count} 个多余副本。</translation>
    </message>
    <message>
        <source>{count} copies · {name}</source>
        <translation>{count} 个副本 · {name}</translation>
    </message>
    <message>
        <source>similarity {value:.3f}</source>
        <translation>相似度 {value:.3f}</translation>
    </message>
    <message>
        <source>Best copy: kept</source>
        <translation>最佳副本：保留</translation>
    </message>
    <message>
        <source>Keep {name} and move the other copy to the trash? It leaves the library too; you can restore it from the system trash.</source>
        <translation>保留 {name}，并把另一个副本移到回收站？它也会从图库中移除；你可以从系统回收站中恢复它。</translation>
    </message>
    <message>
        <source>Keep {name} and move the {count} other copies to the trash? They leave the library too; you can restore them from the system trash.</source>
        <translation>保留 {name}，并把其余 {count} 个副本移到回收站？它们也会从图库中移除；你可以从系统回收站中恢复它们。</translation>
    </message>
    <message>
        <source>Keep the best copy</source>
        <translation>保留最佳副本</translation>
    </message>
</context>
<context>
    <name>ExclusionsDialog</name>
    <message>
        <source>A name like @eaDir or *.tmp, or cache/previews</source>
        <translation>名称如 @eaDir 或 *.tmp，或路径如 cache/previews</translation>
    </message>
    <message>
        <source>Leave out</source>
        <translation>排除</translation>
    </message>
    <message>
        <source>Stop leaving out</source>
        <translation>不再排除</translation>
    </message>
    <message>
        <source>Exclusions of {name}</source>
        <translation>{name} 的排除项</translation>
    </message>
    <message>
        <source>Subfolders and files these patterns match are left out of the library:</source>
        <translation>与这些模式匹配的子文件夹和文件不会收入照片库：</translation>
    </message>
    <message>
        <source>Nothing is left out of this folder.</source>
        <translation>此文件夹没有排除任何内容。</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Taken in or after: 2024, 2024-06 or 2024-07-14</source>
        <translation>拍摄于此日期或之后：2024、2024-06 或 2024-07-14</translation>
    </message>
    <message>
        <source>Taken before: 2024-09 means up to the end of August</source>
        <translation>拍摄于此日期之前：2024-09 表示截至八月底</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>相机</translation>
    </message>
    <message>
        <source>Any type</source>
        <translation>任意类型</translation>
    </message>
    <message>
        <source>All folders</source>
        <translation>所有文件夹</translation>
    </message>
    <message>
        <source>Best match</source>
        <translation>最佳匹配</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>最新优先</translation>
    </message>
    <message>
        <source>Order of search results</source>
        <translation>搜索结果的顺序</translation>
    </message>
    <message>
        <source>from {value}</source>
        <translation>自 {value}</translation>
    </message>
    <message>
        <source>before {value}</source>
        <translation>{value} 之前</translation>
    </message>
    <message>
        <source>place: {value}</source>
        <translation>地点：{value}</translation>
    </message>
    <message>
        <source>camera: {value}</source>
        <translation>相机：{value}</translation>
    </message>
    <message>
        <source>folder: {value}</source>
        <translation>文件夹：{value}</translation>
    </message>
    <message>
        <source>type: {value}</source>
        <translation>类型：{value}</translation>
    </message>
    <message>
        <source>Remove this filter</source>
        <translation>移除此筛选</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
</context>
<context>
    <name>FoldersController</name>
    <message>
        <source>No model is loaded; pick one in Settings.</source>
        <translation>尚未加载模型；请在“设置”中选择一个。</translation>
    </message>
    <message>
        <source>Not a folder: {path}</source>
        <translation>不是文件夹：{path}</translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message>
        <source>⟳ indexing</source>
        <translation>⟳ 正在建立索引</translation>
    </message>
    <message>
        <source>⚠ offline</source>
        <translation>⚠ 离线</translation>
    </message>
    <message>
        <source>✓ watching</source>
        <translation>✓ 正在关注</translation>
    </message>
    <message>
        <source>waiting for a model</source>
        <translation>等待模型</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Folders in the library; new and changed photos are picked up</source>
        <translation>图库中的文件夹；新增和改动的照片会被自动收录</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Exclusions…</source>
        <translation>排除项…</translation>
    </message>
    <message>
        <source>Subfolders and files of the selected folder to leave out</source>
        <translation>所选文件夹中要排除的子文件夹和文件</translation>
    </message>
    <message>
        <source>Skipped files…</source>
        <translation>跳过的文件…</translation>
    </message>
    <message>
        <source>Duplicates…</source>
        <translation>重复照片…</translation>
    </message>
    <message>
        <source>Find near-identical photos and keep the best copy</source>
        <translation>查找几乎相同的照片并保留最佳副本</translation>
    </message>
    <message>
        <source>{count} photo</source>
        <translation>{count} 张照片</translation>
    </message>
    <message>
        <source>{count} photos</source>
        <translation>{count} 张照片</translation>
    </message>
    <message>
        <source>Skipped files ({count})…</source>
        <translation>跳过的文件（{count}）…</translation>
    </message>
    <message>
        <source>Add a photo folder</source>
        <translation>添加照片文件夹</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Describe a photo, e.g. “a red circle on a striped background”</source>
        <translation>描述一张照片，例如“条纹背景上的一个红色圆形”</translation>
    </message>
    <message>
        <source>Show </source>
        <translation>显示 </translation>
    </message>
    <message>
        <source>Number of results</source>
        <translation>结果数量</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Thumbnail size</source>
        <translation>缩略图大小</translation>
    </message>
    <message>
        <source>no library</source>
        <translation>没有图库</translation>
    </message>
    <message>
        <source>{count} photo in {folder}, newest first</source>
        <translation>{folder} 中的 {count} 张照片，最新的在前</translation>
    </message>
    <message>
        <source>{count} photos in {folder}, newest first</source>
        <translation>{folder} 中的 {count} 张照片，最新的在前</translation>
    </message>
    <message>
        <source>{count} photo, newest first</source>
        <translation>{count} 张照片，最新的在前</translation>
    </message>
    <message>
        <source>{count} photos, newest first</source>
        <translation>{count} 张照片，最新的在前</translation>
    </message>
    <message>
        <source>No photos pass the filters</source>
        <translation>没有符合筛选条件的照片</translation>
    </message>
    <message>
        <source>loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>model {name}</source>
        <translation>模型 {name}</translation>
    </message>
    <message>
        <source>Copy {count} photo to</source>
        <translation>把 {count} 张照片复制到</translation>
    </message>
    <message>
        <source>Copy {count} photos to</source>
        <translation>把 {count} 张照片复制到</translation>
    </message>
</context>
<context>
    <name>PhotoGrid</name>
    <message>
        <source>{count} photo</source>
        <translation>{count} 张照片</translation>
    </message>
    <message>
        <source>{count} photos</source>
        <translation>{count} 张照片</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <source>← → previous / next · Z fit or 100 % · Esc back to the results</source>
        <translation>← → 上一张 / 下一张 · Z 适应窗口或 100% · Esc 返回结果</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Cannot show this photo</source>
        <translation>无法显示这张照片</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Select a photo to preview it.</source>
        <translation>选择一张照片即可预览。</translation>
    </message>
    <message>
        <source>score {score:.3f}</source>
        <translation>得分 {score:.3f}</translation>
    </message>
    <message>
        <source>in {folder}</source>
        <translation>位于 {folder}</translation>
    </message>
    <message>
        <source>Cannot show this photo</source>
        <translation>无法显示这张照片</translation>
    </message>
    <message>
        <source>Text in the photo:</source>
        <translation>照片中的文字：</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>({count} photos)</source>
        <translation>（{count} 张照片）</translation>
    </message>
    <message>
        <source>Copy paths</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Find similar</source>
        <translation>查找相似照片</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Copy to folder…</source>
        <translation>复制到文件夹…</translation>
    </message>
    <message>
        <source>Move to trash…</source>
        <translation>移到回收站…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>(the library&apos;s model)</source>
        <translation>（图库所用的模型）</translation>
    </message>
    <message>
        <source>A model name, or a .sparse model file</source>
        <translation>模型名称，或 .sparse 模型文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>default (pretrained tag, checkpoint file, or random)</source>
        <translation>默认（预训练标签、检查点文件或 random）</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Shown from the next start; the {variable} variable overrides it</source>
        <translation>下次启动时生效；环境变量 {variable} 优先于此设置</translation>
    </message>
    <message>
        <source>In use: &lt;b&gt;{model}&lt;/b&gt;. Changing the model re-encodes every photo in the library.</source>
        <translation>正在使用：&lt;b&gt;{model}&lt;/b&gt;。更换模型会重新编码图库中的所有照片。</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Results per page</source>
        <translation>每页结果数</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Choose a model file</source>
        <translation>选择模型文件</translation>
    </message>
    <message>
        <source>Sparse models (*.sparse);;All files (*)</source>
        <translation>稀疏模型 (*.sparse);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>SkippedDialog</name>
    <message>
        <source>Skipped files</source>
        <translation>跳过的文件</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>{count} file could not be indexed. Fix or replace it; it is retried when it changes.</source>
        <translation>{count} 个文件无法建立索引。请修复或替换它；文件改动后会重试。</translation>
    </message>
    <message>
        <source>{count} files could not be indexed. Fix or replace them; they are retried when they change.</source>
        <translation>{count} 个文件无法建立索引。请修复或替换它们；文件改动后会重试。</translation>
    </message>
    <message>
        <source>No skipped files.</source>
        <translation>没有跳过的文件。</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation>原因不明</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} 小时 {minutes:02d} 分</translation>
    </message>
    <message>
        <source>{minutes} min {seconds:02d} s</source>
        <translation>{minutes} 分 {seconds:02d} 秒</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>opening library…</source>
        <translation>正在打开图库…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>{count} photo in the library</source>
        <translation>图库中有 {count} 张照片</translation>
    </message>
    <message>
        <source>{count} photos in the library</source>
        <translation>图库中有 {count} 张照片</translation>
    </message>
    <message>
        <source>indexing %v / %m</source>
        <translation>建立索引 %v / %m</translation>
    </message>
    <message>
        <source>{rate:.1f} photos/s · ETA {eta}</source>
        <translation>{rate:.1f} 张/秒 · 预计剩余 {eta}</translation>
    </message>
    <message>
        <source> · {count} skipped</source>
        <translation> · 跳过 {count} 张</translation>
    </message>
    <message>
        <source>reading text {done} / {total}</source>
        <translation>读取文字 {done} / {total}</translation>
    </message>
    <message>
        <source>· last indexing: {summary}</source>
        <translation>· 上次索引：{summary}</translation>
    </message>
</context>
<context>
    <name>ViewerMode</name>
    <message>
        <source>{number} of {count}</source>
        <translation>第 {number} 张，共 {count} 张</translation>
    </message>
</context>
<context>
    <name>WindowController</name>
    <message>
        <source>Opening the library…</source>
        <translation>正在打开图库…</translation>
    </message>
    <message>
        <source>Cannot open the library: {reason}</source>
        <translation>无法打开图库：{reason}</translation>
    </message>
    <message>
        <source>The library could not be opened.</source>
        <translation>无法打开图库。</translation>
    </message>
    <message>
        <source>library default</source>
        <translation>图库默认模型</translation>
    </message>
    <message>
        <source>Loading the model ({name})…</source>
        <translation>正在加载模型（{name}）…</translation>
    </message>
    <message>
        <source>The model is still loading; try again in a moment.</source>
        <translation>模型仍在加载中；请稍后再试。</translation>
    </message>
    <message>
        <source>Could not load that model: {reason}. Still using {name}.</source>
        <translation>无法加载该模型：{reason}。仍在使用 {name}。</translation>
    </message>
    <message>
        <source>No model is loaded; pick one in Settings.</source>
        <translation>尚未加载模型；请在“设置”中选择一个。</translation>
    </message>
    <message>
        <source>Could not load the model: {reason}</source>
        <translation>无法加载模型：{reason}</translation>
    </message>
    <message>
        <source>Could not load the recommended model: {reason}. To start now, choose a model in Settings (the demo model works offline). Folders you add are indexed once a model has loaded.</source>
        <translation>无法加载推荐的模型：{reason}。要立即开始，请在“设置”中选择一个模型（演示模型可离线使用）。模型加载后，你添加的文件夹会建立索引。</translation>
    </message>
    <message>
        <source>No model is loaded. Pick one in Settings…</source>
        <translation>尚未加载模型。请在“设置…”中选择一个</translation>
    </message>
    <message>
        <source>Loading the model… your search runs when it is ready.</source>
        <translation>正在加载模型… 加载完成后会执行你的搜索。</translation>
    </message>
    <message>
        <source>No application could open {path}</source>
        <translation>没有应用程序能打开 {path}</translation>
    </message>
    <message>
        <source>Could not show {path} in its folder</source>
        <translation>无法在文件夹中显示 {path}</translation>
    </message>
    <message>
        <source>Adding the folder {name} to the library</source>
        <translation>正在把文件夹 {name} 加入图库</translation>
    </message>
    <message>
        <source>{name} is not a photo. Drop a photo to find similar ones, or a folder to add it to the library.</source>
        <translation>{name} 不是照片。拖入一张照片可查找相似照片，拖入文件夹可把它加入图库。</translation>
    </message>
    <message>
        <source>Copied {count} path to the clipboard</source>
        <translation>已把 {count} 条路径复制到剪贴板</translation>
    </message>
    <message>
        <source>Copied {count} paths to the clipboard</source>
        <translation>已把 {count} 条路径复制到剪贴板</translation>
    </message>
    <message>
        <source>Copied {count} photo to {folder}</source>
        <translation>已把 {count} 张照片复制到 {folder}</translation>
    </message>
    <message>
        <source>Copied {count} photos to {folder}</source>
        <translation>已把 {count} 张照片复制到 {folder}</translation>
    </message>
    <message>
        <source>Moved {count} photo to the trash</source>
        <translation>已把 {count} 张照片移到回收站</translation>
    </message>
    <message>
        <source>Moved {count} photos to the trash</source>
        <translation>已把 {count} 张照片移到回收站</translation>
    </message>
    <message>
        <source>The library is read-only while another photosearch process updates it.</source>
        <translation>另一个 photosearch 进程正在更新图库，此时图库为只读。</translation>
    </message>
    <message>
        <source>The new language shows the next time photosearch starts.</source>
        <translation>新的语言将在下次启动 photosearch 时生效。</translation>
    </message>
    <message>
        <source>No matching photos.</source>
        <translation>没有匹配的照片。</translation>
    </message>
    <message>
        <source>The library is empty. Click “Add folder…” on the left to index your photos.</source>
        <translation>图库是空的。点击左侧的“添加文件夹…”为你的照片建立索引。</translation>
    </message>
    <message>
        <source>Type what you remember, or drop a photo here to find similar ones.</source>
        <translation>输入你记得的内容，或把一张照片拖到这里查找相似照片。</translation>
    </message>
</context>
<context>
    <name>confirm</name>
    <message>
        <source>Move {name} to the trash? It leaves the library too; you can restore it from the system trash.</source>
        <translation>把 {name} 移到回收站？它也会从图库中移除；你可以从系统回收站中恢复它。</translation>
    </message>
    <message>
        <source>Move {count} photos to the trash? They leave the library too; you can restore them from the system trash.</source>
        <translation>把 {count} 张照片移到回收站？它们也会从图库中移除；你可以从系统回收站中恢复它们。</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <source>Remove {name} from the library? Its photos leave the search results and the folder is no longer watched. The files stay on disk; add the folder again to bring them back.</source>
        <translation>从图库中移除 {name}？其中的照片将不再出现在搜索结果中，该文件夹也不再被关注。文件仍保留在磁盘上；重新添加该文件夹即可恢复。</translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation>移除文件夹</translation>
    </message>
</context>
</TS>
